#include "mail/html_sanitizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mail/html_text.h"

namespace steadfast::mail {
namespace {

using namespace std::string_literals;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

const std::set<std::string, std::less<>> kAllowedTags = {
    "a",    "abbr",     "b",      "blockquote", "br",  "caption", "center", "cite", "code",
    "col",  "colgroup", "dd",     "del",        "div", "dl",      "dt",     "em",   "font",
    "h1",   "h2",       "h3",     "h4",         "h5",  "h6",      "hr",     "i",    "img",
    "ins",  "kbd",      "li",     "ol",         "p",   "pre",     "q",      "s",    "small",
    "span", "strike",   "strong", "sub",        "sup", "table",   "tbody",  "td",   "tfoot",
    "th",   "thead",    "tr",     "tt",         "u",   "ul"};

const std::set<std::string, std::less<>> kAllowedAttributes = {
    "href",  "title",  "alt",    "width",       "height",         "colspan", "rowspan",
    "align", "valign", "border", "cellpadding", "cellspacing",    "start",   "type",
    "span",  "rel",    "target", "src",         "data-remote-src"};

const std::set<std::string, std::less<>> kVoidTags = {"br", "hr", "img", "col"};

// Checks what SanitizeHtml promises about its output, reading it the strict way: text may hold
// no '<' or '>' (both are escaped), so every '<' opens a tag; every tag is an allowed element;
// every attribute is allowed, double-quoted and free of '<', '>' and '"'; every element is
// closed in order; URLs have allowed schemes. Returns the first violation, or "" if none.
std::string Violation(std::string_view html) {
  std::string lower = Lower(html);
  for (std::string_view needle :
       {"<script", "javascript:", "vbscript:", "data:",     "<iframe",   "<object",
        "<embed",  "<form",       "<svg",      "<math",     "<style",    "<meta",
        "<base",   "<link",       "<input",    "<noscript", "<template", "<textarea",
        "<frame",  "<applet",     "<button",   "<select"}) {
    if (lower.find(needle) != std::string::npos) {
      return "contains " + std::string(needle);
    }
  }
  std::vector<std::string> open;
  size_t pos = 0;
  while (pos < html.size()) {
    size_t lt = html.find_first_of("<>", pos);
    if (lt == std::string_view::npos) {
      break;
    }
    if (html[lt] == '>') {
      return "a '>' outside a tag";
    }
    size_t gt = html.find_first_of("<>", lt + 1);
    if (gt == std::string_view::npos || html[gt] != '>') {
      return "an unterminated tag";
    }
    std::string_view tag = html.substr(lt + 1, gt - lt - 1);
    pos = gt + 1;
    bool closing = !tag.empty() && tag[0] == '/';
    if (closing) {
      tag.remove_prefix(1);
    }
    size_t name_end = 0;
    while (name_end < tag.size() && ((tag[name_end] >= 'a' && tag[name_end] <= 'z') ||
                                     (tag[name_end] >= '0' && tag[name_end] <= '9'))) {
      ++name_end;
    }
    std::string name(tag.substr(0, name_end));
    if (kAllowedTags.count(name) == 0) {
      return "element <" + std::string(tag) + ">";
    }
    if (closing) {
      if (name_end != tag.size() || open.empty() || open.back() != name) {
        return "misnested </" + name + ">";
      }
      open.pop_back();
      continue;
    }
    std::string_view rest = tag.substr(name_end);
    while (!rest.empty()) {
      if (rest[0] != ' ') {
        return "junk in <" + std::string(tag) + ">";
      }
      rest.remove_prefix(1);
      size_t eq = rest.find("=\"");
      if (eq == std::string_view::npos) {
        return "unquoted attribute in <" + std::string(tag) + ">";
      }
      std::string attribute(rest.substr(0, eq));
      if (kAllowedAttributes.count(attribute) == 0 || Lower(attribute).rfind("on", 0) == 0) {
        return "attribute " + attribute;
      }
      size_t close = rest.find('"', eq + 2);
      if (close == std::string_view::npos) {
        return "unclosed attribute value in <" + std::string(tag) + ">";
      }
      std::string value(rest.substr(eq + 2, close - eq - 2));
      if (attribute == "href" && value.rfind("http://", 0) != 0 &&
          value.rfind("https://", 0) != 0 && value.rfind("mailto:", 0) != 0) {
        return "href " + value;
      }
      if (attribute == "data-remote-src" && value.rfind("http://", 0) != 0 &&
          value.rfind("https://", 0) != 0) {
        return "data-remote-src " + value;
      }
      if (attribute == "src" && value.rfind("/attachments/", 0) != 0) {
        return "src " + value;
      }
      rest.remove_prefix(close + 1);
    }
    if (kVoidTags.count(name) == 0) {
      open.push_back(name);
    }
  }
  if (!open.empty()) {
    return "unclosed <" + open.back() + ">";
  }
  return "";
}

int MaxNesting(std::string_view html) {
  int depth = 0;
  int max_depth = 0;
  for (size_t i = 0; i + 1 < html.size(); ++i) {
    if (html[i] != '<') {
      continue;
    }
    if (html[i + 1] == '/') {
      --depth;
    } else if (html.substr(i, 3) != "<br" && html.substr(i, 4) != "<img" &&
               html.substr(i, 3) != "<hr" && html.substr(i, 4) != "<col>" &&
               html.substr(i, 5) != "<col ") {
      max_depth = std::max(max_depth, ++depth);
    }
  }
  return max_depth;
}

SanitizeOptions TestOptions() {
  SanitizeOptions options;
  options.inline_images["logo@example.com"] = "/attachments/17";
  options.inline_images["part1.06090408.01060107@example.net"] = "/attachments/18";
  return options;
}

// -----------------------------------------------------------------------------------------------
// Hostile input: each payload must come out without anything that could run.

std::vector<std::string> XssPayloads() {
  std::vector<std::string> p = {
      // Script elements.
      R"p(<script>alert(1)</script>)p",
      R"p(<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>)p",
      R"p(<SCRIPT/XSS SRC="http://xss.example/xss.js"></SCRIPT>)p",
      R"p(<<SCRIPT>alert("XSS");//\<</SCRIPT>)p",
      R"p(<SCRIPT SRC=http://xss.example/xss.js?< B >)p",
      R"p(<SCRIPT SRC=//xss.example/.j>)p",
      R"p(</TITLE><SCRIPT>alert("XSS");</SCRIPT>)p",
      R"p(<p>"><script>alert(1)</script></p>)p",
      R"p(<scr<script>ipt>alert(1)</scr</script>ipt>)p",
      // javascript: URLs, plain and obfuscated.
      R"p(<IMG SRC="javascript:alert('XSS');">)p",
      R"p(<IMG SRC=javascript:alert('XSS')>)p",
      R"p(<IMG SRC=JaVaScRiPt:alert('XSS')>)p",
      R"p(<IMG SRC=`javascript:alert("RSnake says, 'XSS'")`>)p",
      R"p(<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>)p",
      R"p(<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>)p",
      R"p(<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29">hex</a>)p",
      R"p(<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">padded</a>)p",
      "<a href=\"jav\tascript:alert('XSS');\">tab</a>",
      R"p(<a href="jav&#x09;ascript:alert('XSS');">encoded tab</a>)p",
      R"p(<a href="jav&#x0A;ascript:alert('XSS');">encoded newline</a>)p",
      R"p(<a href="jav&#x0D;ascript:alert('XSS');">encoded cr</a>)p",
      R"p(<a href="java&Tab;script:alert(1)">named tab</a>)p",
      R"p(<a href="java&NewLine;script:alert(1)">named newline</a>)p",
      R"p(<a href=" &#14;  javascript:alert('XSS');">leading junk</a>)p",
      R"p(<a href="javascript&colon;alert(1)">colon entity</a>)p",
      R"p(<a href="&#106avascript:alert(1)">no semicolon</a>)p",
      R"p(<a href="JAVASCRIPT:alert(1)">upper case</a>)p",
      "<a href=\"\x01\x02javascript:alert(1)\">control characters</a>",
      "<a href=\"java\0script:alert(1)\">nul</a>"s,
      R"p(<a href="vbscript:msgbox(1)">vb</a>)p",
      R"p(<IMG SRC='vbscript:msgbox("XSS")'>)p",
      R"p(<a href="livescript:alert(1)">live</a>)p",
      // data: URLs.
      R"p(<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>)p",
      R"p(<a href="DATA:text/html,<script>alert(1)</script>">data upper</a>)p",
      R"p(<img src="data:image/png;base64,iVBORw0KGgo=">)p",
      R"p(<img src="data:image/svg+xml,<svg onload=alert(1)>">)p",
      // Event handlers on many tags.
      R"p(<a onmouseover="alert(document.cookie)">xxs link</a>)p",
      R"p(<IMG """><SCRIPT>alert("XSS")</SCRIPT>">)p",
      R"p(<IMG SRC=# onmouseover="alert('xxs')">)p",
      R"p(<IMG SRC= onmouseover="alert('xxs')">)p",
      R"p(<IMG onmouseover="alert('xxs')">)p",
      R"p(<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>)p",
      R"p(<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">)p",
      R"p(<img src="https://ok.example/a.png" onerror="alert(1)" onload="alert(2)">)p",
      R"p(<BODY onload!#$%&()*~+-_.,:;?@[/|\]^`=alert("XSS")>)p",
      R"p(<body onpageshow=alert(1)>)p",
      R"p(<div onclick=alert(1) id=x class=y>unquoted</div>)p",
      R"p(<p onmouseover=`alert(1)`>backticks</p>)p",
      R"p(<table onmouseover=alert(1)><tr onclick=alert(1)><td onfocus=alert(1)>cell</td></tr></table>)p",
      R"p(<details open ontoggle=alert(1)>x</details>)p",
      R"p(<video><source onerror="alert(1)"></video>)p",
      R"p(<audio src=x onerror=alert(1)>)p",
      R"p(<marquee onstart=alert(1)>m</marquee>)p",
      R"p(<isindex type=image src=1 onerror=alert(1)>)p",
      R"p(<input autofocus onfocus=alert(1)>)p",
      R"p(<keygen autofocus onfocus=alert(1)>)p",
      R"p(<x onclick=alert(1)>custom element</x>)p",
      R"p(<a href="http://ok.example/" onclick="alert(1)" style="color:red">ok link</a>)p",
      R"p(<a href="mailto:x@example.com" onclick="alert(1)">mail</a>)p",
      R"p(<span/onmouseover=alert(1)>slash separated</span>)p",
      "<img src=x o\0nerror=alert(1)>"s,
      "<scr\0ipt>alert(1)</scr\0ipt>"s,
      // Attribute values that try to break out.
      R"p(<a href="https://ok.example/" title='"><script>alert(1)</script>'>t</a>)p",
      R"p(<img src="https://ok.example/x.png" alt="&quot; onerror=&quot;alert(1)">)p",
      R"p(<abbr title="x' onmouseover='alert(1)">y</abbr>)p",
      R"p(<img src="https://ok.example/x.png" width="1 onerror=alert(1)">)p",
      // SVG and MathML.
      R"p(<svg/onload=alert('XSS')>)p",
      R"p(<svg><script>alert(1)</script></svg>)p",
      R"p(<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>)p",
      R"p(<svg><animate onbegin=alert(1) attributeName=x dur=1s>)p",
      R"p(<svg><foreignObject><iframe src="javascript:alert(1)"></iframe></foreignObject></svg>)p",
      R"p(<math href="javascript:alert(1)">CLICKME</math>)p",
      R"p(<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">c</maction></math>)p",
      R"p(<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>)p",
      R"p(<math><mi><a href="javascript:alert(1)">m</a></mi></math>)p",
      // Embedding, frames, forms.
      R"p(<IFRAME SRC="javascript:alert('XSS');"></IFRAME>)p",
      R"p(<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>)p",
      R"p(<iframe src=http://xss.example/scriptlet.html <)p",
      R"p(<FRAMESET><FRAME SRC="javascript:alert('XSS');"></FRAMESET>)p",
      R"p(<frameset onload=alert(1)>)p",
      R"p(<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.example/scriptlet.html"></OBJECT>)p",
      R"p(<object data="javascript:alert(1)"><param name=x value=y></object>)p",
      R"p(<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv" type="image/svg+xml" AllowScriptAccess="always"></EMBED>)p",
      R"p(<embed src="javascript:alert(1)">)p",
      R"p(<applet code="x.class"></applet>)p",
      R"p(<form action="javascript:alert(1)"><input type=submit></form>)p",
      R"p(<form><button formaction=javascript:alert(1)>X</button></form>)p",
      R"p(<select><option><script>alert(1)</script></option></select>)p",
      R"p(<textarea><script>alert(1)</script></textarea>)p",
      // Document-level elements.
      R"p(<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert('XSS');">)p",
      R"p(<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">)p",
      R"p(<META HTTP-EQUIV="Link" Content="<http://xss.example/xss.css>; REL=stylesheet">)p",
      R"p(<BASE HREF="javascript:alert('XSS');//">)p",
      R"p(<base href="http://xss.example/"><a href=../lol/safari.html>relative</a>)p",
      R"p(<LINK REL="stylesheet" HREF="javascript:alert('XSS');">)p",
      R"p(<link rel=import href="http://xss.example/x.html">)p",
      R"p(<BGSOUND SRC="javascript:alert('XSS');">)p",
      R"p(<title><script>alert(1)</script></title>)p",
      // Style.
      R"p(<STYLE>@import'http://xss.example/xss.css';</STYLE>)p",
      R"p(<STYLE>li {list-style-image: url("javascript:alert('XSS')");}</STYLE><UL><LI>XSS</br>)p",
      R"p(<style><img src=x onerror=alert(1)></style>)p",
      R"p(<DIV STYLE="background-image: url(javascript:alert('XSS'))">div</DIV>)p",
      R"p(<DIV STYLE="width: expression(alert('XSS'));">expr</DIV>)p",
      R"p(<IMG STYLE="xss:expr/*XSS*/ession(alert('XSS'))">)p",
      R"p(<p style="behavior:url(xss.htc)">htc</p>)p",
      R"p(<div style="x:\65xpression(alert(1))">escaped expression</div>)p",
      R"p(<TABLE BACKGROUND="javascript:alert('XSS')"><TD BACKGROUND="javascript:alert('XSS')">cell</TD></TABLE>)p",
      R"p(<BODY BACKGROUND="javascript:alert('XSS')">)p",
      R"p(<IMG DYNSRC="javascript:alert('XSS')">)p",
      R"p(<IMG LOWSRC="javascript:alert('XSS')">)p",
      R"p(<INPUT TYPE="IMAGE" SRC="javascript:alert('XSS');">)p",
      R"p(<BR SIZE="&{alert('XSS')}">)p",
      // Comments, CDATA and raw-text confusion.
      R"p(<!--<script>alert(1)</script>-->)p",
      R"p(<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->)p",
      R"p(<!-- --!><script>alert(1)</script> -->)p",
      R"p(<![CDATA[<script>alert(1)</script>]]>)p",
      R"p(<?xml-stylesheet href="javascript:alert(1)"?>)p",
      R"p(<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>)p",
      R"p(<noscript><noscript><script>alert(1)</script></noscript></noscript>)p",
      R"p(<template><script>alert(1)</script><img src=x onerror=alert(1)></template>)p",
      R"p(<xmp><img src=x onerror=alert(1)></xmp>)p",
      R"p(<plaintext><script>alert(1)</script>)p",
      R"p(<table><tr><td><style>td{}</style><script>alert(1)</script>)p",
      // Unclosed and broken markup.
      R"p(<a href="javascript:alert(1)")p",
      R"p(<img src="http://ok.example/a.png" onerror="alert(1)")p",
      R"p(<div><script)p",
      R"p(<img src=x onerror=alert(1)//)p",
      R"p(<a href=javascript:alert(1)>unquoted</a>)p",
      R"p(<a href="//xss.example/">protocol relative</a>)p",
      R"p(<img src="cid:unknown@example.com" onerror=alert(1)>)p",
      R"p(<img src="cid:logo@example.com" onerror=alert(1) style="x">)p",
  };
  // Hostile nesting.
  std::string deep;
  for (int i = 0; i < 50000; ++i) {
    deep += "<div>";
  }
  p.push_back(deep + "<img src=x onerror=alert(1)><script>alert(1)</script>");
  std::string deep_mixed;
  for (int i = 0; i < 20000; ++i) {
    deep_mixed += "<b><i><span><blockquote><table><tr><td>";
  }
  p.push_back(deep_mixed + "<a href=\"javascript:alert(1)\">x</a>");
  return p;
}

class HtmlSanitizerXssTest : public testing::TestWithParam<std::string> {};

TEST_P(HtmlSanitizerXssTest, OutputCannotRunScript) {
  std::string out = SanitizeHtml(GetParam(), TestOptions());
  EXPECT_EQ(Violation(out), "") << "output: " << out.substr(0, 2000);
  EXPECT_LE(MaxNesting(out), 256);
  // Written back and read again, safe output stays the same: Gumbo finds nothing new in it.
  // (Images are left out: data-remote-src is not an input attribute, so they go.)
  if (out.find("<img") == std::string::npos) {
    EXPECT_EQ(SanitizeHtml(out, TestOptions()), out);
  }
}

INSTANTIATE_TEST_SUITE_P(Payloads, HtmlSanitizerXssTest, testing::ValuesIn(XssPayloads()));

TEST(HtmlSanitizerTest, PayloadListIsLarge) { EXPECT_GE(XssPayloads().size(), 60u); }

TEST(HtmlSanitizerTest, ViolationCheckerCatchesUnsafeMarkup) {
  // The checker above must be able to fail.
  EXPECT_NE(Violation("<img src=x onerror=alert(1)>"), "");
  EXPECT_NE(Violation(R"p(<p onclick="x">a</p>)p"), "");
  EXPECT_NE(Violation(R"p(<a href="javascript:x">a</a>)p"), "");
  EXPECT_NE(Violation("<p>a"), "");
  EXPECT_NE(Violation("<b><i></b></i>"), "");
  EXPECT_NE(Violation("<iframe></iframe>"), "");
  EXPECT_NE(Violation("<p>a > b</p>"), "");
  EXPECT_EQ(Violation(R"p(<p>a &gt; b <a href="https://x" title="&quot;">l</a></p>)p"), "");
}

TEST(HtmlSanitizerTest, DropsScriptsAndHandlersButKeepsText) {
  EXPECT_EQ(SanitizeHtml(R"p(<p onclick="alert(1)">Hello <script>alert(1)</script>world</p>)p"),
            "<p>Hello world</p>");
  EXPECT_EQ(SanitizeHtml(R"p(<a href="javascript:alert(1)">click</a>)p"), "click");
  EXPECT_EQ(SanitizeHtml(R"p(<a href="jav&#x09;ascript:alert(1)">click</a>)p"), "click");
  EXPECT_EQ(SanitizeHtml(R"p(<svg onload="alert(1)"><text>svg text</text></svg>after)p"), "after");
  EXPECT_EQ(SanitizeHtml(R"p(<iframe srcdoc="<script>alert(1)</script>">inner</iframe>after)p"),
            "after");
  EXPECT_EQ(SanitizeHtml(R"p(<form action="https://x"><input name=q><p>in form</p></form>)p"), "");
}

// -----------------------------------------------------------------------------------------------
// Benign mail: what is safe comes through exactly.

struct BenignCase {
  const char* name;
  std::string html;
  std::string expected;
};

void PrintTo(const BenignCase& c, std::ostream* os) { *os << c.name; }

class HtmlSanitizerBenignTest : public testing::TestWithParam<BenignCase> {};

TEST_P(HtmlSanitizerBenignTest, KeepsSafeMarkup) {
  std::string out = SanitizeHtml(GetParam().html, TestOptions());
  EXPECT_EQ(out, GetParam().expected);
  EXPECT_EQ(Violation(out), "");
}

const char* const kRel = R"p( rel="noopener noreferrer nofollow" target="_blank")p";

INSTANTIATE_TEST_SUITE_P(
    Mail, HtmlSanitizerBenignTest,
    testing::Values(
        BenignCase{"Formatting", "<p>Hello <b>bold</b>, <i>it</i>, <u>u</u> and <s>gone</s></p>",
                   "<p>Hello <b>bold</b>, <i>it</i>, <u>u</u> and <s>gone</s></p>"},
        BenignCase{"HttpsLink",
                   R"p(<a href="https://example.com/a?x=1&amp;y=2" title="Example">site</a>)p",
                   R"p(<a href="https://example.com/a?x=1&amp;y=2" title="Example")p" +
                       std::string(kRel) + ">site</a>"},
        BenignCase{
            "MailtoLink", R"p(Write to <A HREF="MAILTO:help@example.com" class="x">us</A>.)p",
            R"p(Write to <a href="mailto:help@example.com")p" + std::string(kRel) + ">us</a>."},
        BenignCase{"LinkUrlCleaned", "<a href=\"  https://example.com/a b\t\n \">spaced</a>",
                   R"p(<a href="https://example.com/a%20b")p" + std::string(kRel) + ">spaced</a>"},
        BenignCase{
            "RelativeAndAnchorLinksUnwrapped",
            R"p(<a name="top">Top</a> <a href="/account">Account</a> <a href="ftp://x/">F</a>)p",
            "Top Account F"},
        BenignCase{
            "Table",
            R"p(<table border="1" cellpadding="2" cellspacing="0" width="100%" style="x" class="y" bgcolor="red"><tr><th align="left">A</th><td colspan="2" valign="top" width="10">B</td></tr></table>)p",
            R"p(<table border="1" cellpadding="2" cellspacing="0" width="100%"><tbody><tr><th align="left">A</th><td colspan="2" valign="top">B</td></tr></tbody></table>)p"},
        BenignCase{"TableParts",
                   "<table><caption>Totals</caption><colgroup span=\"2\"><col span=\"1\">"
                   "</colgroup><thead><tr><th>Item</th><th>Qty</th></tr></thead><tfoot><tr>"
                   "<td>Sum</td><td>3</td></tr></tfoot><tbody><tr><td>Pen</td><td>3</td></tr>"
                   "</tbody></table>",
                   "<table><caption>Totals</caption><colgroup span=\"2\"><col span=\"1\">"
                   "</colgroup><thead><tr><th>Item</th><th>Qty</th></tr></thead><tfoot><tr>"
                   "<td>Sum</td><td>3</td></tr></tfoot><tbody><tr><td>Pen</td><td>3</td></tr>"
                   "</tbody></table>"},
        BenignCase{
            "Lists",
            R"p(<ol start="3" type="a"><li>x</li><li>y</li></ol><ul><li>z<ul><li>n</li></ul></li></ul><dl><dt>T</dt><dd>D</dd></dl>)p",
            R"p(<ol start="3" type="a"><li>x</li><li>y</li></ol><ul><li>z<ul><li>n</li></ul></li></ul><dl><dt>T</dt><dd>D</dd></dl>)p"},
        BenignCase{
            "InlineCidImage",
            R"p(<img src="cid:logo@example.com" alt="Logo" width="120" height="40" class="c">)p",
            R"p(<img src="/attachments/17" alt="Logo" width="120" height="40">)p"},
        BenignCase{"ThunderbirdCidImage",
                   R"p(<img src="CID:part1.06090408.01060107@example.net" alt="">)p",
                   R"p(<img src="/attachments/18" alt="">)p"},
        BenignCase{"UnknownCidImageDropped",
                   R"p(<p>a<img src="cid:other@example.com" alt="x">b</p>)p", "<p>ab</p>"},
        BenignCase{
            "RemoteImageNotLoaded",
            R"p(<img src="https://cdn.example.com/b.png?a=1&amp;b=2" alt="Banner" width="100px" height="50">)p",
            R"p(<img data-remote-src="https://cdn.example.com/b.png?a=1&amp;b=2" alt="Banner" height="50">)p"},
        BenignCase{
            "OtherImagesDropped",
            R"p(<img src="data:image/png;base64,iVBORw0KGgo="><img src="/local.png"><img>x)p", "x"},
        BenignCase{"WholeDocument",
                   "<!DOCTYPE html><html><head><title>Hi</title><meta charset=\"utf-8\">"
                   "<style>p{color:red}</style></head><body bgcolor=\"white\"><!-- x -->"
                   "<p>Body</p></body></html>\n",
                   "<p>Body</p>"},
        BenignCase{"TextEscaped", R"p(<p>5 &lt; 6 &amp;&amp; 7 &gt; 3 "quoted" 'single'</p>)p",
                   // Quotes are escaped in text too (one escaping function for text and
                   // attributes); a browser shows the same characters.
                   R"p(<p>5 &lt; 6 &amp;&amp; 7 &gt; 3 &quot;quoted&quot; &#39;single&#39;</p>)p"},
        BenignCase{"AttributeEscaped", R"p(<abbr title="&quot;A&amp;B&quot; <x> 'y'">AB</abbr>)p",
                   R"p(<abbr title="&quot;A&amp;B&quot; &lt;x&gt; &#39;y&#39;">AB</abbr>)p"},
        BenignCase{"UnknownElementsUnwrapped",
                   "<article><section><p>In <mark>mark</mark> <o:p>office</o:p></p></section>"
                   "</article>",
                   "<p>In mark office</p>"},
        BenignCase{
            "QuoteAttributesDropped",
            R"p(<blockquote cite="http://x" type="cite" style="margin:0"><div dir="ltr">Quoted</div></blockquote>)p",
            "<blockquote><div>Quoted</div></blockquote>"},
        BenignCase{"FontAttributesDropped",
                   R"p(<font face="Arial" color="red" size="2">f</font><center>c</center>)p",
                   "<font>f</font><center>c</center>"},
        BenignCase{"MalformedMarkupRepaired", "<p>one<p>two<b>bold<i>both</b>italic",
                   "<p>one</p><p>two<b>bold<i>both</i></b><i>italic</i></p>"},
        BenignCase{"Preformatted", "<pre>\n\n  a &lt;b&gt;\n  c</pre>",
                   "<pre>\n\n  a &lt;b&gt;\n  c</pre>"},
        BenignCase{"HeadingsAndBreaks", "<h1>T</h1><h6>t</h6><hr><p>a<br>b<br/>c</p>",
                   "<h1>T</h1><h6>t</h6><hr><p>a<br>b<br>c</p>"},
        BenignCase{"GmailReply",
                   "<div dir=\"ltr\">Thanks<br></div><br><div class=\"gmail_quote\"><div "
                   "dir=\"ltr\" class=\"gmail_attr\">On Mon, Jan 5, 2026 at 10:00 AM Maria &lt;<a "
                   "href=\"mailto:m@example.com\">m@example.com</a>&gt; wrote:<br></div>"
                   "<blockquote class=\"gmail_quote\" style=\"margin:0px 0px 0px 0.8ex\">Hi"
                   "</blockquote></div>",
                   "<div>Thanks<br></div><br><div><div>On Mon, Jan 5, 2026 at 10:00 AM Maria "
                   "&lt;<a href=\"mailto:m@example.com\"" +
                       std::string(kRel) +
                       ">m@example.com</a>&gt; wrote:<br></div><blockquote>Hi</blockquote></div>"},
        BenignCase{"InlineElements",
                   "<p><code>x</code> <kbd>K</kbd> <tt>t</tt> <sub>1</sub><sup>2</sup> <small>s"
                   "</small> <strong>S</strong> <em>E</em> <cite>C</cite> <q>Q</q> <del>D</del>"
                   "<ins>I</ins> <strike>X</strike> <span lang=\"en\">sp</span></p>",
                   "<p><code>x</code> <kbd>K</kbd> <tt>t</tt> <sub>1</sub><sup>2</sup> <small>s"
                   "</small> <strong>S</strong> <em>E</em> <cite>C</cite> <q>Q</q> <del>D</del>"
                   "<ins>I</ins> <strike>X</strike> <span>sp</span></p>"},
        BenignCase{
            "NumericAttributesChecked",
            R"p(<ol start="-2" type="disc"><li>a</li></ol><table border="1px"><tr><td rowspan="x2" align="left;x">c</td></tr></table>)p",
            R"p(<ol start="-2"><li>a</li></ol><table><tbody><tr><td>c</td></tr></tbody></table>)p"},
        BenignCase{"Utf8Kept", "<p>Grüße, café — 日本語 😀</p>", "<p>Grüße, café — 日本語 😀</p>"}),
    [](const testing::TestParamInfo<BenignCase>& info) { return std::string(info.param.name); });

// -----------------------------------------------------------------------------------------------
// Depth.

TEST(HtmlSanitizerTest, FlattensNestingBeyondTheLimit) {
  std::string html;
  for (int i = 0; i < 300; ++i) {
    html += "<div>";
  }
  html += "deep<b>bold</b>";
  std::string out = SanitizeHtml(html);
  std::string expected;
  for (int i = 0; i < 256; ++i) {
    expected += "<div>";
  }
  expected += "deepbold";
  for (int i = 0; i < 256; ++i) {
    expected += "</div>";
  }
  EXPECT_EQ(out, expected);
}

TEST(HtmlSanitizerTest, SurvivesHostileNesting) {
  for (std::string_view open : {"<div>", "<b>", "<span>", "<ul><li>", "<table><tr><td>",
                                "<blockquote>", "<x>", "<a href=\"https://x\">", "<q>"}) {
    std::string html;
    for (int i = 0; i < 50000; ++i) {
      html += open;
    }
    html += "core text";
    std::string out = SanitizeHtml(html);
    EXPECT_NE(out.find("core text"), std::string::npos) << open;
    EXPECT_LE(MaxNesting(out), 256) << open;
    EXPECT_EQ(Violation(out), "") << open;
    EXPECT_NE(HtmlToText(html).find("core text"), std::string::npos) << open;
  }
}

TEST(HtmlSanitizerTest, CutsHugeBodies) {
  std::string html = "<p>start</p>" + std::string(3 * 1024 * 1024, 'x') + "<p>end</p>";
  std::string out = SanitizeHtml(html);
  EXPECT_EQ(out.rfind("<p>start</p>", 0), 0u);
  EXPECT_EQ(out.find("end"), std::string::npos);
  EXPECT_LE(out.size(), 2u * 1024 * 1024 + 100);
}

TEST(HtmlSanitizerTest, EmptyAndTextOnlyInput) {
  EXPECT_EQ(SanitizeHtml(""), "");
  EXPECT_EQ(SanitizeHtml("just text & more"), "just text &amp; more");
  EXPECT_EQ(SanitizeHtml("<!-- only a comment -->"), "");
}

// -----------------------------------------------------------------------------------------------
// HtmlToText.

TEST(HtmlToTextTest, ParagraphsAndDivs) {
  EXPECT_EQ(HtmlToText("<p>Hello</p><p>World</p>"), "Hello\n\nWorld");
  EXPECT_EQ(HtmlToText("<div>Hi Maria,</div><div><br></div><div>Thanks &amp; regards</div>"),
            "Hi Maria,\n\nThanks & regards");
  EXPECT_EQ(HtmlToText("<div>one</div><div>two</div>"), "one\ntwo");
}

TEST(HtmlToTextTest, LineBreaks) {
  EXPECT_EQ(HtmlToText("a<br>b<br><br>c"), "a\nb\n\nc");
  EXPECT_EQ(HtmlToText("<p>a<br></p><p>b</p>"), "a\n\nb");
  EXPECT_EQ(HtmlToText("a<br><br><br><br><br>b"), "a\n\nb");
}

TEST(HtmlToTextTest, Lists) {
  EXPECT_EQ(HtmlToText("<p>Steps:</p><ul><li>one</li><li>two<ul><li>nested</li></ul></li>"
                       "</ul><p>after</p>"),
            "Steps:\n\n- one\n- two\n  - nested\n\nafter");
  EXPECT_EQ(HtmlToText("<ol><li>first<li>second</ol>"), "- first\n- second");
}

TEST(HtmlToTextTest, LinksKeepTheirText) {
  EXPECT_EQ(HtmlToText(R"p(See <a href="https://example.com/x">the guide</a>, please.)p"),
            "See the guide, please.");
}

TEST(HtmlToTextTest, DropsHeadScriptAndStyle) {
  EXPECT_EQ(HtmlToText("<html><head><title>T</title><style>p{}</style><script>x()</script>"
                       "</head><body><p>Body   text\n  wraps</p><script>alert(1)</script>"
                       "<style>.x{}</style><noscript>enable js</noscript></body></html>"),
            "Body text wraps");
}

TEST(HtmlToTextTest, Tables) {
  EXPECT_EQ(HtmlToText("<table><tr><td>Order</td><td>#123</td></tr><tr><td>Status</td>"
                       "<td>Shipped</td></tr></table>"),
            "Order #123\nStatus Shipped");
}

TEST(HtmlToTextTest, PreformattedKeepsWhitespace) {
  EXPECT_EQ(HtmlToText("<p>Log:</p><pre>line 1\n  line 2</pre><p>end</p>"),
            "Log:\n\nline 1\n  line 2\n\nend");
}

TEST(HtmlToTextTest, DecodesEntitiesAndNoBreakSpaces) {
  EXPECT_EQ(HtmlToText("<p>caf&eacute; &lt;tag&gt; &nbsp;x&#8212;y</p><p>&nbsp;</p><p>z</p>"),
            "café <tag> x—y\n\nz");
}

TEST(HtmlToTextTest, HeadingsAndQuotes) {
  EXPECT_EQ(HtmlToText("<h1>Title</h1>Intro<blockquote>quoted</blockquote>end"),
            "Title\n\nIntro\n\nquoted\n\nend");
}

TEST(HtmlToTextTest, OutlookStyleBody) {
  EXPECT_EQ(HtmlToText("<html><body><div class=WordSection1><p class=MsoNormal>Hi Tom,<o:p>"
                       "</o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p><p class=MsoNormal>"
                       "Invoice attached.<o:p></o:p></p></div></body></html>"),
            "Hi Tom,\n\nInvoice attached.");
}

TEST(HtmlToTextTest, EmptyInput) {
  EXPECT_EQ(HtmlToText(""), "");
  EXPECT_EQ(HtmlToText("<html><head><title>x</title></head><body> </body></html>"), "");
}

}  // namespace
}  // namespace steadfast::mail
