#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/text.h"
#include "common/time.h"
#include "mail/parsed_mail.h"

namespace steadfast::mail {
namespace {

// Every string a ParsedMail hands out, for the "always valid UTF-8" promise.
std::vector<std::string> AllStrings(const ParsedMail& m) {
  std::vector<std::string> s = {m.message_id, m.from.name, m.from.email, m.return_path,
                                m.subject,    m.text,      m.html,       m.bounced_message_id};
  for (const auto& id : m.in_reply_to) s.push_back(id);
  for (const auto& id : m.references) s.push_back(id);
  if (m.reply_to) {
    s.push_back(m.reply_to->name);
    s.push_back(m.reply_to->email);
  }
  for (const auto* list : {&m.to, &m.cc}) {
    for (const auto& a : *list) {
      s.push_back(a.name);
      s.push_back(a.email);
    }
  }
  for (const auto& a : m.attachments) {
    s.push_back(a.filename);
    s.push_back(a.content_type);
    s.push_back(a.content_id);
  }
  for (const auto& [name, value] : m.headers) {
    s.push_back(name);
    s.push_back(value);
  }
  for (const auto& d : m.defects) s.push_back(d);
  return s;
}

::testing::AssertionResult AllValidUtf8(const ParsedMail& m) {
  for (const auto& s : AllStrings(m)) {
    if (!IsValidUtf8(s)) {
      return ::testing::AssertionFailure() << "invalid UTF-8: " << s.substr(0, 80);
    }
    if (s.find('\0') != std::string::npos) {
      return ::testing::AssertionFailure() << "NUL in: " << s.substr(0, 80);
    }
  }
  return ::testing::AssertionSuccess();
}

ParsedMail Parse(std::string_view raw, const ParseOptions& options = {}) {
  Result<ParsedMail> r = ParseMail(raw, options);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return {};
  EXPECT_TRUE(AllValidUtf8(*r));
  return std::move(r).value();
}

bool HasDefect(const ParsedMail& m, std::string_view part) {
  return std::any_of(m.defects.begin(), m.defects.end(),
                     [&](const std::string& d) { return d.find(part) != std::string::npos; });
}

std::string Defects(const ParsedMail& m) {
  std::string all;
  for (const auto& d : m.defects) all += "[" + d + "] ";
  return all;
}

std::string Iso(const std::optional<Timestamp>& t) { return t ? FormatIso8601(*t) : "none"; }

// ---------------------------------------------------------------------------------------------
// Ordinary mail.

TEST(ParseMailTest, PlainUtf8MessageWithAllTheHeaders) {
  const ParsedMail m = Parse(R"(Return-Path: <alice@example.com>
Received: from mx.example.com by mail.steadfast.test; Tue, 24 Nov 2026 16:30:01 +0000
From: Alice Example <Alice@Example.COM>
To: Support <support@steadfast.test>, bob@example.org
Cc: "Carol, C." <carol@example.net>
Reply-To: alice.private@example.com
Subject: Printer on fire
Date: Tue, 24 Nov 2026 17:30:00 +0100
Message-ID: <CAF1234@mail.example.com>
In-Reply-To: <reply-1@steadfast.test>
References: <root@steadfast.test>
 <reply-1@steadfast.test>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

Grüße aus Köln — the printer is on fire 🔥.
Second line.
)");
  EXPECT_EQ(m.message_id, "CAF1234@mail.example.com");
  EXPECT_EQ(m.in_reply_to, std::vector<std::string>{"reply-1@steadfast.test"});
  EXPECT_EQ(m.references,
            (std::vector<std::string>{"root@steadfast.test", "reply-1@steadfast.test"}));
  EXPECT_EQ(m.from.name, "Alice Example");
  EXPECT_EQ(m.from.email, "alice@example.com");
  ASSERT_TRUE(m.reply_to.has_value());
  EXPECT_EQ(m.reply_to->email, "alice.private@example.com");
  ASSERT_EQ(m.to.size(), 2u);
  EXPECT_EQ(m.to[0].name, "Support");
  EXPECT_EQ(m.to[0].email, "support@steadfast.test");
  EXPECT_EQ(m.to[1].name, "");
  EXPECT_EQ(m.to[1].email, "bob@example.org");
  ASSERT_EQ(m.cc.size(), 1u);
  EXPECT_EQ(m.cc[0].name, "Carol, C.");
  EXPECT_EQ(m.cc[0].email, "carol@example.net");
  EXPECT_EQ(m.return_path, "alice@example.com");
  EXPECT_FALSE(m.null_return_path);
  EXPECT_EQ(m.subject, "Printer on fire");
  EXPECT_EQ(Iso(m.date), "2026-11-24T16:30:00.000Z");
  EXPECT_EQ(m.text, "Grüße aus Köln — the printer is on fire 🔥.\nSecond line.\n");
  EXPECT_EQ(m.html, "");
  EXPECT_TRUE(m.attachments.empty());
  EXPECT_FALSE(m.is_bounce);
  EXPECT_TRUE(m.defects.empty()) << Defects(m);

  ASSERT_EQ(m.headers.size(), 14u);
  EXPECT_EQ(m.headers[0],
            (std::pair<std::string, std::string>{"return-path", "<alice@example.com>"}));
  EXPECT_EQ(m.headers[1].first, "received");
  EXPECT_EQ(m.headers[10].first, "references");
  EXPECT_EQ(m.headers[10].second, "<root@steadfast.test> <reply-1@steadfast.test>");
  EXPECT_EQ(m.headers[12],
            (std::pair<std::string, std::string>{"content-type", "text/plain; charset=UTF-8"}));
  EXPECT_EQ(m.headers[13].first, "content-transfer-encoding");
  EXPECT_EQ(m.Header("subject"), "Printer on fire");
  EXPECT_EQ(m.Header("mime-version"), "1.0");
  EXPECT_EQ(m.Header("x-not-there"), "");
}

TEST(ParseMailTest, HeaderReturnsTheFirstOfRepeatedHeaders) {
  const ParsedMail m =
      Parse("Received: from a\nReceived: from b\nX-Loop: one\nX-Loop: two\nFrom: a@b.c\n\nhi\n");
  EXPECT_EQ(m.Header("received"), "from a");
  EXPECT_EQ(m.Header("x-loop"), "one");
  EXPECT_EQ(std::count_if(m.headers.begin(), m.headers.end(),
                          [](const auto& h) { return h.first == "received"; }),
            2);
}

TEST(ParseMailTest, Iso88591Body) {
  const ParsedMail m = Parse(
      "From: a@example.com\nSubject: latin\nContent-Type: text/plain; charset=ISO-8859-1\n"
      "Content-Transfer-Encoding: 8bit\n\n"
      "Caf\xe9 cr\xe8me, \xa3"
      "5 \xbd price\n");
  EXPECT_EQ(m.text, "Café crème, £5 ½ price\n");
  EXPECT_TRUE(m.defects.empty()) << Defects(m);
}

TEST(ParseMailTest, Windows1252QuotedPrintableBody) {
  const ParsedMail m = Parse(R"(From: a@example.com
Subject: cp1252
Content-Type: text/plain; charset="windows-1252"
Content-Transfer-Encoding: quoted-printable

=93Quoted=94 =96 costs =80100 =85 that=92s it. A very long line that is wrapped=
 softly.
)");
  EXPECT_EQ(m.text,
            "“Quoted” – costs €100 … that’s it. A very long line that is wrapped softly.\n");
  EXPECT_TRUE(m.defects.empty()) << Defects(m);
}

TEST(ParseMailTest, OtherCharsetsThroughIconv) {
  const ParsedMail koi8 = Parse(
      "From: a@example.com\nContent-Type: text/plain; "
      "charset=koi8-r\n\n\xf0\xd2\xc9\xd7\xc5\xd4\n");
  EXPECT_EQ(koi8.text, "Привет\n");
  const ParsedMail jis = Parse(
      "From: a@example.com\nContent-Type: text/plain; charset=iso-2022-jp\n\n"
      "\x1b$B$3$s$K$A$O\x1b(B\n");
  EXPECT_EQ(jis.text, "こんにちは\n");
  const ParsedMail utf7 = Parse(
      "From: a@example.com\nContent-Type: text/plain; charset=unicode-1-1-utf-7\n\nHi +AKM-1\n");
  EXPECT_EQ(utf7.text, "Hi £1\n");
}

TEST(ParseMailTest, Rfc2047EncodedSubjectAndNames) {
  const ParsedMail m = Parse(R"(From: =?iso-8859-1?q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>
To: =?UTF-8?B?5bGx55Sw?= <yamada@example.jp>,
 "=?utf-8?Q?M=C3=BCller?=" <mueller@example.de>
Cc: =?UTF-8?Q?Jos=C3=A9_?= =?UTF-8?B?R3LDvMOfZQ==?= <jose@example.es>
Subject: =?UTF-8?B?R3LDvMOfZQ==?= =?ISO-8859-1?Q?_und_K=F6ln?= plain tail,
 =?UTF-8?Q?costs_=E2=82?= =?UTF-8?Q?=AC100?=
Message-ID: <x@y>

body
)");
  EXPECT_EQ(m.subject, "Grüße und Köln plain tail, costs €100");
  EXPECT_EQ(m.from.name, "André Pirard");
  EXPECT_EQ(m.from.email, "pirard@vm1.ulg.ac.be");
  ASSERT_EQ(m.to.size(), 2u);
  EXPECT_EQ(m.to[0].name, "山田");
  EXPECT_EQ(m.to[1].name, "Müller");
  ASSERT_EQ(m.cc.size(), 1u);
  EXPECT_EQ(m.cc[0].name, "José Grüße");
  EXPECT_EQ(m.Header("subject"), "Grüße und Köln plain tail, costs €100");
}

// GMime 3.2.13 alone loses everything after the first padded word of such a run.
TEST(ParseMailTest, AdjacentPaddedBase64WordsInOneCharset) {
  const ParsedMail m =
      Parse(R"(From: =?UTF-8?B?U3NzxZsgTGHFgmFsYQ==?= =?UTF-8?B?bGFsYQ==?= <s@example.pl>
Subject: =?UTF-8?B?SGVsbG8=?= =?UTF-8?B?IHdvcmxk?= =?UTF-8?Q?_and_more?=
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

x
--b
Content-Type: application/pdf; name="=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?=.pdf"
Content-Disposition: attachment

y
--b--
)");
  EXPECT_EQ(m.from.name, "Sssś Lałalalala");
  EXPECT_EQ(m.subject, "Hello world and more");
  EXPECT_EQ(m.Header("subject"), "Hello world and more");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].filename, "éé.pdf");
}

TEST(ParseMailTest, Rfc2231AndRfc2047Filenames) {
  const ParsedMail m = Parse(R"(From: a@example.com
Subject: files
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XX"

--XX
Content-Type: text/plain

See attached.
--XX
Content-Type: application/pdf
Content-Disposition: attachment;
 filename*0*=UTF-8''%E6%97%A5%E6%9C%AC%E8%AA%9E;
 filename*1*=%E3%81%AE%E8%B3%87%E6%96%99;
 filename*2=".pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQgZmFrZSBwZGYK
--XX
Content-Type: application/pdf; name="=?UTF-8?Q?R=C3=A9sum=C3=A9.pdf?="
Content-Disposition: attachment
Content-Transfer-Encoding: base64

JVBERi0xLjQgZmFrZSBwZGYK
--XX
Content-Type: application/octet-stream
Content-Disposition: attachment; filename*=iso-8859-1'fr'caf%E9.txt

x
--XX
Content-Type: application/x-msdownload
Content-Disposition: attachment; filename="../../etc/evil.exe"

MZ
--XX--
)");
  EXPECT_EQ(m.text, "See attached.");
  ASSERT_EQ(m.attachments.size(), 4u) << Defects(m);
  EXPECT_EQ(m.attachments[0].filename, "日本語の資料.pdf");
  EXPECT_EQ(m.attachments[0].content_type, "application/pdf");
  EXPECT_EQ(m.attachments[0].data, "%PDF-1.4 fake pdf\n");
  EXPECT_FALSE(m.attachments[0].is_inline);
  EXPECT_EQ(m.attachments[1].filename, "Résumé.pdf");
  EXPECT_EQ(m.attachments[2].filename, "café.txt");
  EXPECT_EQ(m.attachments[2].data, "x");
  EXPECT_EQ(m.attachments[3].filename, "evil.exe");  // No path components survive.
  EXPECT_EQ(m.attachments[3].data, "MZ");
}

TEST(ParseMailTest, MultipartAlternativeGivesTextAndHtml) {
  const ParsedMail m = Parse(R"(From: Bob <bob@example.org>
Subject: alt
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

This is a multi-part message in MIME format.
--b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Hello =E2=80=94 plain.
--b1
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<p>Hello =E2=80=94 <b>html</b>.</p>
--b1--
)");
  EXPECT_EQ(m.text, "Hello — plain.");
  EXPECT_EQ(m.html, "<p>Hello — <b>html</b>.</p>");
  EXPECT_TRUE(m.attachments.empty());
  EXPECT_TRUE(m.defects.empty()) << Defects(m);
}

TEST(ParseMailTest, OnlyHtmlLeavesTextEmpty) {
  const ParsedMail m = Parse(
      "From: a@example.com\nContent-Type: text/html; charset=utf-8\n\n<p>Only <i>HTML</i></p>\n");
  EXPECT_EQ(m.text, "");
  EXPECT_EQ(m.html, "<p>Only <i>HTML</i></p>\n");
}

TEST(ParseMailTest, MultipartMixedWithAttachments) {
  const ParsedMail m = Parse(R"(From: a@example.com
Subject: report
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="==mixed=="

--==mixed==
Content-Type: text/plain; charset=us-ascii

Please find the log attached.
--==mixed==
Content-Type: Text/Plain; charset=utf-8; name="server.log"
Content-Disposition: attachment; filename="server.log"

line one
--==mixed==
Content-Type: Application/PDF
Content-Disposition: ATTACHMENT; filename=invoice.pdf
Content-Transfer-Encoding: BASE64

JVBERi0x
LjQgZmFr
ZSBwZGYK
--==mixed==
Content-Type: text/calendar; method=REQUEST; charset=utf-8

BEGIN:VCALENDAR
--==mixed==
Content-Type: application/octet-stream

AAEC
--==mixed==--
)");
  EXPECT_EQ(m.text, "Please find the log attached.");
  ASSERT_EQ(m.attachments.size(), 4u);
  EXPECT_EQ(m.attachments[0].filename, "server.log");
  EXPECT_EQ(m.attachments[0].content_type, "text/plain");
  EXPECT_EQ(m.attachments[0].data, "line one");
  EXPECT_EQ(m.attachments[1].filename, "invoice.pdf");
  EXPECT_EQ(m.attachments[1].content_type, "application/pdf");
  EXPECT_EQ(m.attachments[1].data, "%PDF-1.4 fake pdf\n");
  EXPECT_EQ(m.attachments[2].filename, "attachment");
  EXPECT_EQ(m.attachments[2].content_type, "text/calendar");
  EXPECT_EQ(m.attachments[2].data, "BEGIN:VCALENDAR");
  EXPECT_EQ(m.attachments[3].filename, "attachment");
  EXPECT_EQ(m.attachments[3].content_type, "application/octet-stream");
  EXPECT_EQ(m.attachments[3].data, "AAEC");  // No transfer encoding: the bytes as they are.
  EXPECT_TRUE(m.defects.empty()) << Defects(m);
}

TEST(ParseMailTest, MultipartRelatedInlineImageByContentId) {
  const ParsedMail m = Parse(R"(From: a@example.com
Subject: logo
MIME-Version: 1.0
Content-Type: multipart/related; boundary="rel"; type="text/html"

--rel
Content-Type: text/html; charset=utf-8

<p>Our logo: <img src="cid:logo.123@example.com"></p>
--rel
Content-Type: image/png
Content-ID: <logo.123@example.com>
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--rel
Content-Type: image/gif
Content-ID: <unused@example.com>
Content-Disposition: attachment; filename="unused.gif"
Content-Transfer-Encoding: base64

R0lGODlh
--rel--
)");
  EXPECT_EQ(m.html, "<p>Our logo: <img src=\"cid:logo.123@example.com\"></p>");
  EXPECT_EQ(m.text, "");
  ASSERT_EQ(m.attachments.size(), 2u);
  EXPECT_EQ(m.attachments[0].content_type, "image/png");
  EXPECT_EQ(m.attachments[0].content_id, "logo.123@example.com");
  EXPECT_TRUE(m.attachments[0].is_inline);
  EXPECT_EQ(m.attachments[0].filename, "attachment");
  EXPECT_EQ(m.attachments[0].data, std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(m.attachments[1].content_id, "unused@example.com");
  EXPECT_FALSE(m.attachments[1].is_inline);
  EXPECT_EQ(m.attachments[1].data, "GIF89a");
}

TEST(ParseMailTest, ImageReferencedByCidIsInlineWhateverItsDisposition) {
  const ParsedMail m = Parse(R"(From: a@example.com
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/html

<img src='CID:chart%40example.com' alt=chart>
--b
Content-Type: image/png; name="chart.png"
Content-Disposition: attachment; filename="chart.png"
Content-ID: <chart@example.com>
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--b
Content-Type: image/png; name="other.png"
Content-Disposition: attachment; filename="other.png"
Content-ID: <other@example.com>
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--b--
)");
  ASSERT_EQ(m.attachments.size(), 2u);
  EXPECT_TRUE(m.attachments[0].is_inline);
  EXPECT_EQ(m.attachments[0].content_id, "chart@example.com");
  EXPECT_FALSE(m.attachments[1].is_inline);
}

TEST(ParseMailTest, NestedMultipartsAndAnAttachedMessage) {
  const ParsedMail m = Parse(R"(From: a@example.com
Subject: nested
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=utf-8

Plain version.
--alt
Content-Type: multipart/related; boundary="rel"

--rel
Content-Type: text/html; charset=utf-8

<p>HTML version <img src="cid:pic@x"></p>
--rel
Content-Type: image/png
Content-ID: <pic@x>
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--rel--
--alt--
--outer
Content-Type: message/rfc822
Content-Disposition: attachment; filename="earlier.eml"

From: Someone <someone@example.com>
Subject: the earlier message
Message-ID: <earlier@example.com>

Earlier body.
--outer--
)");
  EXPECT_EQ(m.text, "Plain version.");
  EXPECT_EQ(m.html, "<p>HTML version <img src=\"cid:pic@x\"></p>");
  ASSERT_EQ(m.attachments.size(), 2u);
  EXPECT_EQ(m.attachments[0].content_id, "pic@x");
  EXPECT_TRUE(m.attachments[0].is_inline);
  EXPECT_EQ(m.attachments[1].filename, "earlier.eml");
  EXPECT_EQ(m.attachments[1].content_type, "message/rfc822");
  EXPECT_NE(m.attachments[1].data.find("Subject: the earlier message"), std::string::npos);
  EXPECT_NE(m.attachments[1].data.find("Earlier body."), std::string::npos);
  EXPECT_FALSE(m.is_bounce);
  EXPECT_TRUE(m.defects.empty()) << Defects(m);
}

TEST(ParseMailTest, OutlookStyleMessage) {
  std::string raw = R"(Received: from EXCH01.corp.example.com (10.0.0.1) by EXCH02.corp.example.com
 (10.0.0.2) with Microsoft SMTP Server id 15.1.2507.6; Mon, 2 Nov 2026 09:15:01 +0100
From: "Schmidt, J=?iso-8859-1?Q?=FC?=rgen" <Juergen.Schmidt@corp.example.com>
To: "support@steadfast.test" <support@steadfast.test>
Subject: =?iso-8859-1?Q?AW:_Bestellung_=FCberf=E4llig?=
Thread-Topic: =?iso-8859-1?Q?Bestellung_=FCberf=E4llig?=
Thread-Index: AdmBq1EXAMPLEAAAAAAAAAAAAAAAAA==
Date: Mon, 2 Nov 2026 08:15:00 +0000
Message-ID: <AM0PR01MB1234ABCD@AM0PR01MB1234.eurprd01.prod.outlook.com>
References: <ticket-42@steadfast.test>
In-Reply-To: <ticket-42@steadfast.test>
Accept-Language: de-DE, en-US
Content-Language: de-DE
X-MS-Has-Attach: yes
X-MS-TNEF-Correlator:
Content-Type: multipart/related;
	boundary="_004_AM0PR01MB1234ABCD_";
	type="multipart/alternative"
MIME-Version: 1.0

--_004_AM0PR01MB1234ABCD_
Content-Type: multipart/alternative;
	boundary="_000_AM0PR01MB1234ABCD_"

--_000_AM0PR01MB1234ABCD_
Content-Type: text/plain; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

Hallo,

die Bestellung ist =FCberf=E4llig. Bitte pr=FCfen Sie das =96 danke!

[cid:image001.png@01DA0000.12345670]

Von: Support <support@steadfast.test>
Gesendet: Freitag, 30. Oktober 2026 12:00

--_000_AM0PR01MB1234ABCD_
Content-Type: text/html; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

<html><head>
<meta http-equiv=3D"Content-Type" content=3D"text/html; charset=3Diso-8859-=
1"></head><body><p>Hallo,</p><p>die Bestellung ist =FCberf=E4llig.</p><img =
src=3D"cid:image001.png@01DA0000.12345670"></body></html>

--_000_AM0PR01MB1234ABCD_--

--_004_AM0PR01MB1234ABCD_
Content-Type: image/png; name="image001.png"
Content-Description: image001.png
Content-Disposition: inline; filename="image001.png"; size=8;
	creation-date="Mon, 02 Nov 2026 08:15:00 GMT";
	modification-date="Mon, 02 Nov 2026 08:15:00 GMT"
Content-ID: <image001.png@01DA0000.12345670>
Content-Transfer-Encoding: base64

iVBORw0KGgo=

--_004_AM0PR01MB1234ABCD_--
)";
  // Exchange sends CRLF line ends.
  std::string crlf;
  for (const char c : raw) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  const ParsedMail m = Parse(crlf);
  EXPECT_EQ(m.from.name, "Schmidt, Jürgen");
  EXPECT_EQ(m.from.email, "juergen.schmidt@corp.example.com");
  EXPECT_EQ(m.subject, "AW: Bestellung überfällig");
  EXPECT_EQ(m.Header("thread-topic"), "Bestellung überfällig");
  EXPECT_EQ(m.Header("x-ms-tnef-correlator"), "");
  EXPECT_EQ(m.in_reply_to, std::vector<std::string>{"ticket-42@steadfast.test"});
  EXPECT_EQ(m.message_id, "AM0PR01MB1234ABCD@AM0PR01MB1234.eurprd01.prod.outlook.com");
  EXPECT_EQ(m.text,
            "Hallo,\n\ndie Bestellung ist überfällig. Bitte prüfen Sie das – danke!\n\n"
            "[cid:image001.png@01DA0000.12345670]\n\nVon: Support <support@steadfast.test>\n"
            "Gesendet: Freitag, 30. Oktober 2026 12:00\n");
  EXPECT_EQ(m.html,
            "<html><head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; "
            "charset=iso-8859-1\"></head><body><p>Hallo,</p><p>die Bestellung ist "
            "überfällig.</p><img src=\"cid:image001.png@01DA0000.12345670\"></body></html>\n");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].filename, "image001.png");
  EXPECT_EQ(m.attachments[0].content_id, "image001.png@01DA0000.12345670");
  EXPECT_TRUE(m.attachments[0].is_inline);
  EXPECT_EQ(m.attachments[0].data.size(), 8u);
  EXPECT_EQ(Iso(m.date), "2026-11-02T08:15:00.000Z");
  EXPECT_TRUE(m.defects.empty()) << Defects(m);
}

TEST(ParseMailTest, AppleMailStyleMessage) {
  const ParsedMail m = Parse(R"(From: =?utf-8?Q?Ren=C3=A9e_Dupont?= <renee@icloud.example>
Content-Type: multipart/alternative;
	boundary="Apple-Mail=_2F1C0A3E-8D1B-4B8E-9C2A-1234567890AB"
Mime-Version: 1.0 (Mac OS X Mail 16.0 \(3774.600.62\))
Subject: =?utf-8?Q?Probl=C3=A8me_de_connexion?=
Date: Wed, 4 Nov 2026 22:01:02 -0500
Message-Id: <5A1B2C3D-4E5F-6789-ABCD-EF0123456789@icloud.example>
To: support@steadfast.test
X-Mailer: Apple Mail (2.3774.600.62)

--Apple-Mail=_2F1C0A3E-8D1B-4B8E-9C2A-1234567890AB
Content-Transfer-Encoding: quoted-printable
Content-Type: text/plain;
	charset=utf-8;
	format=flowed;
	delsp=yes

Bonjour, je n=E2=80=99arrive plus =C3=A0 me connecter depuis la mise =C3=A0=
 =20
jour d=E2=80=99hier.
> Ancien message cit=C3=A9 qui est assez long pour =C3=AAtre =20
> coup=C3=A9.

--=20
Ren=C3=A9e
--Apple-Mail=_2F1C0A3E-8D1B-4B8E-9C2A-1234567890AB
Content-Type: multipart/mixed;
	boundary="Apple-Mail=_MIXED"

--Apple-Mail=_MIXED
Content-Transfer-Encoding: 7bit
Content-Type: text/html;
	charset=us-ascii

<html><body>Bonjour, see the screenshot:</body></html>
--Apple-Mail=_MIXED
Content-Disposition: inline;
	filename="Capture d'=?utf-8?Q?e=CC=81cran?= 2026-11-04.png"
Content-Type: image/png;
	x-unix-mode=0644;
	name="Capture d'=?utf-8?Q?e=CC=81cran?= 2026-11-04.png"
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--Apple-Mail=_MIXED
Content-Transfer-Encoding: 7bit
Content-Type: text/html;
	charset=us-ascii

<html><body>Thanks</body></html>
--Apple-Mail=_MIXED--

--Apple-Mail=_2F1C0A3E-8D1B-4B8E-9C2A-1234567890AB--
)");
  EXPECT_EQ(m.from.name, "Renée Dupont");
  EXPECT_EQ(m.subject, "Problème de connexion");
  EXPECT_EQ(Iso(m.date), "2026-11-05T03:01:02.000Z");
  // format=flowed; delsp=yes: soft breaks joined and their space removed; quotes kept apart.
  EXPECT_EQ(m.text,
            "Bonjour, je n’arrive plus à me connecter depuis la mise à jour d’hier.\n"
            "> Ancien message cité qui est assez long pour être coupé.\n\n-- \nRenée");
  EXPECT_EQ(m.html,
            "<html><body>Bonjour, see the screenshot:</body></html>\n"
            "<html><body>Thanks</body></html>");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].filename,
            "Capture d'e\xcc\x81"
            "cran 2026-11-04.png");
  EXPECT_TRUE(m.attachments[0].is_inline);
  EXPECT_EQ(m.attachments[0].content_type, "image/png");
}

TEST(ParseMailTest, TextPartsAroundAnInlineImageAreJoined) {
  const ParsedMail m = Parse(R"(From: a@example.com
Content-Type: multipart/mixed; boundary="m"

--m
Content-Type: text/plain; charset=us-ascii

Before the picture.
--m
Content-Type: image/jpeg; name="photo.jpg"
Content-Disposition: inline; filename="photo.jpg"
Content-Transfer-Encoding: base64

/9j/4A==
--m
Content-Type: text/plain; charset=us-ascii

After the picture.
--m--
)");
  EXPECT_EQ(m.text, "Before the picture.\nAfter the picture.");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].filename, "photo.jpg");
  EXPECT_EQ(m.attachments[0].data, std::string("\xff\xd8\xff\xe0", 4));
  EXPECT_TRUE(m.attachments[0].is_inline);
}

// ---------------------------------------------------------------------------------------------
// Bounces and automatic mail.

TEST(ParseMailTest, DeliveryStatusNotificationWithTheOriginalMessage) {
  const ParsedMail m = Parse(R"(Return-Path: <>
Received: by mx.example.org (Postfix) id 3F1A2; Tue, 24 Nov 2026 10:00:05 +0000 (UTC)
Date: Tue, 24 Nov 2026 10:00:05 +0000 (UTC)
From: MAILER-DAEMON@mx.example.org (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: support@steadfast.test
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="3F1A2.1795000005/mx.example.org"
Message-Id: <20261124100005.3F1A2@mx.example.org>

This is a MIME-encapsulated message.

--3F1A2.1795000005/mx.example.org
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.org.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<nobody@example.org>: host mail.example.org said: 550 5.1.1 User unknown

--3F1A2.1795000005/mx.example.org
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org
Arrival-Date: Tue, 24 Nov 2026 10:00:04 +0000 (UTC)

Final-Recipient: rfc822; nobody@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--3F1A2.1795000005/mx.example.org
Content-Description: Undelivered Message
Content-Type: message/rfc822

Return-Path: <support@steadfast.test>
From: Support <support@steadfast.test>
To: nobody@example.org
Subject: [#123] Your printer
Message-ID: <ticket-123.reply-7@steadfast.test>

We have looked at your printer.

--3F1A2.1795000005/mx.example.org--
)");
  EXPECT_TRUE(m.is_bounce);
  EXPECT_EQ(m.bounced_message_id, "ticket-123.reply-7@steadfast.test");
  EXPECT_TRUE(m.null_return_path);
  EXPECT_EQ(m.return_path, "");
  EXPECT_EQ(m.from.email, "mailer-daemon@mx.example.org");
  EXPECT_EQ(m.from.name, "Mail Delivery System");
  EXPECT_EQ(m.message_id, "20261124100005.3F1A2@mx.example.org");
  EXPECT_EQ(m.Header("auto-submitted"), "auto-replied");
  EXPECT_EQ(m.text.substr(0, 48), "This is the mail system at host mx.example.org.\n");
  ASSERT_EQ(m.attachments.size(), 2u);
  EXPECT_EQ(m.attachments[0].content_type, "message/delivery-status");
  EXPECT_EQ(m.attachments[1].content_type, "message/rfc822");
  EXPECT_TRUE(m.defects.empty()) << Defects(m);
}

TEST(ParseMailTest, BounceWithOnlyTheOriginalHeaders) {
  const ParsedMail m = Parse(R"(From: postmaster@example.org
Return-Path: <>
Content-Type: multipart/report; report-type="delivery-status"; boundary="b"

--b
Content-Type: text/plain

Delivery failed.
--b
Content-Type: message/delivery-status

Reporting-MTA: dns; example.org

Final-Recipient: rfc822; x@example.org
Action: failed
Status: 5.0.0
--b
Content-Type: text/rfc822-headers

From: support@steadfast.test
Message-ID:
 <folded-id@steadfast.test>
Subject: hello
--b--
)");
  EXPECT_TRUE(m.is_bounce);
  EXPECT_EQ(m.bounced_message_id, "folded-id@steadfast.test");
  EXPECT_EQ(m.text, "Delivery failed.");
}

TEST(ParseMailTest, BounceWithOnlyAnOriginalMessageIdInTheStatus) {
  const ParsedMail m = Parse(R"(From: postmaster@example.org
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: text/plain

Delivery failed.
--b
Content-Type: message/delivery-status

Reporting-MTA: dns; example.org
Original-Message-ID: <from-status@steadfast.test>

Final-Recipient: rfc822; x@example.org
Action: failed
--b--
)");
  EXPECT_TRUE(m.is_bounce);
  EXPECT_EQ(m.bounced_message_id, "from-status@steadfast.test");
}

TEST(ParseMailTest, OtherReportsAreNotBounces) {
  const ParsedMail m = Parse(R"(From: a@example.org
Content-Type: multipart/report; report-type=disposition-notification; boundary="b"

--b
Content-Type: text/plain

Your message was read.
--b
Content-Type: message/disposition-notification

Original-Message-ID: <read@steadfast.test>
Disposition: manual-action/MDN-sent-manually; displayed
--b--
)");
  EXPECT_FALSE(m.is_bounce);
  EXPECT_EQ(m.bounced_message_id, "");
  EXPECT_EQ(m.text, "Your message was read.");
}

TEST(ParseMailTest, ReturnPaths) {
  EXPECT_TRUE(Parse("Return-Path: <>\nFrom: a@b.c\n\nx\n").null_return_path);
  EXPECT_TRUE(Parse("Return-Path: < >\nFrom: a@b.c\n\nx\n").null_return_path);
  const ParsedMail normal = Parse("Return-Path: <Bounce+1@Lists.Example.org>\n\nx\n");
  EXPECT_FALSE(normal.null_return_path);
  EXPECT_EQ(normal.return_path, "bounce+1@lists.example.org");
  EXPECT_EQ(Parse("Return-Path: <@relay.example:user@example.org>\n\nx\n").return_path,
            "user@example.org");
  const ParsedMail none = Parse("From: a@b.c\n\nx\n");
  EXPECT_FALSE(none.null_return_path);
  EXPECT_EQ(none.return_path, "");
}

// ---------------------------------------------------------------------------------------------
// Broken MIME: read as far as it goes, with the defect recorded.

TEST(ParseMailTest, MissingClosingBoundary) {
  const ParsedMail m = Parse(R"(From: a@example.com
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

First part.
--b
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="tail.bin"

tail bytes
)");
  EXPECT_EQ(m.text, "First part.");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].data, "tail bytes\n");
  EXPECT_TRUE(HasDefect(m, "missing closing boundary in multipart/mixed")) << Defects(m);
}

TEST(ParseMailTest, MultipartWithoutBoundaryParameterIsRecovered) {
  const ParsedMail m = Parse(R"(From: a@example.com
Content-Type: multipart/alternative

--guess
Content-Type: text/plain

Plain text.
--guess
Content-Type: text/html

<p>HTML</p>
--guess--
)");
  EXPECT_EQ(m.text, "Plain text.");
  EXPECT_EQ(m.html, "<p>HTML</p>");
  EXPECT_TRUE(HasDefect(m, "missing boundary parameter in multipart: alternative")) << Defects(m);
  EXPECT_TRUE(HasDefect(m, "used \"guess\"")) << Defects(m);
}

TEST(ParseMailTest, MultipartWithNothingToRecoverKeepsTheText) {
  const ParsedMail m =
      Parse("From: a@example.com\nContent-Type: multipart/mixed\n\nJust some text.\n");
  EXPECT_EQ(m.text, "Just some text.\n");
  EXPECT_TRUE(HasDefect(m, "without parts")) << Defects(m);
}

TEST(ParseMailTest, BadBase64) {
  const ParsedMail m = Parse(R"(From: a@example.com
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="truncated.bin"
Content-Transfer-Encoding: base64

SGVsbG8gV29ybGQ
--b
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="junk.bin"
Content-Transfer-Encoding: base64

SGVs*bG8=!
--b
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

R3LDvMOfZQ==
--b--
)");
  ASSERT_EQ(m.attachments.size(), 2u);
  EXPECT_EQ(m.attachments[0].data, "Hello World");
  EXPECT_EQ(m.attachments[1].data, "Hello");
  EXPECT_EQ(m.text, "Grüße");
  EXPECT_TRUE(HasDefect(m, "attachment \"truncated.bin\": truncated base64")) << Defects(m);
  EXPECT_TRUE(HasDefect(m, "attachment \"junk.bin\": 2 invalid characters in base64"))
      << Defects(m);
  EXPECT_FALSE(HasDefect(m, "text/plain")) << Defects(m);
}

TEST(ParseMailTest, LyingAndUnknownCharsets) {
  const ParsedMail latin_as_utf8 =
      Parse("From: a@example.com\nContent-Type: text/plain; charset=utf-8\n\nCaf\xe9 cr\xe8me\n");
  EXPECT_EQ(latin_as_utf8.text, "Café crème\n");
  EXPECT_TRUE(HasDefect(latin_as_utf8, "declared utf-8 but is not")) << Defects(latin_as_utf8);

  const ParsedMail utf8_as_latin =
      Parse("From: a@example.com\nContent-Type: text/plain; charset=iso-8859-1\n\nCafé crème\n");
  EXPECT_EQ(utf8_as_latin.text, "Café crème\n");
  EXPECT_TRUE(HasDefect(utf8_as_latin, "declared iso-8859-1 but is UTF-8"))
      << Defects(utf8_as_latin);

  const ParsedMail mostly_utf8 =
      Parse("From: a@example.com\nContent-Type: text/plain; charset=utf-8\n\nGrüße \xff\xfe end\n");
  EXPECT_EQ(mostly_utf8.text, "Grüße \xEF\xBF\xBD\xEF\xBF\xBD end\n");
  EXPECT_TRUE(HasDefect(mostly_utf8, "invalid utf-8 sequences")) << Defects(mostly_utf8);

  const ParsedMail unknown =
      Parse("From: a@example.com\nContent-Type: text/plain; charset=x-klingon\n\nna\xefve\n");
  EXPECT_EQ(unknown.text, "naïve\n");
  EXPECT_TRUE(HasDefect(unknown, "unknown charset x-klingon")) << Defects(unknown);

  const ParsedMail undeclared =
      Parse("From: a@example.com\nContent-Type: text/plain\n\nUndeclared \xe9t\xe9\n");
  EXPECT_EQ(undeclared.text, "Undeclared été\n");
  EXPECT_TRUE(HasDefect(undeclared, "8-bit text without a charset")) << Defects(undeclared);

  const ParsedMail bad_shift_jis =
      Parse("From: a@example.com\nContent-Type: text/plain; charset=shift_jis\n\nok \x82\n");
  EXPECT_TRUE(IsValidUtf8(bad_shift_jis.text));
  EXPECT_EQ(bad_shift_jis.text.substr(0, 3), "ok ");
  EXPECT_TRUE(HasDefect(bad_shift_jis, "invalid in charset shift_jis")) << Defects(bad_shift_jis);
}

TEST(ParseMailTest, EightBitHeadersWithoutEncoding) {
  const ParsedMail m = Parse(
      "From: J\xfcrgen M\xfcller <jm@example.de>\n"
      "To: Zoë <zoe@example.com>\n"
      "Subject: Grüße aus Köln\n\nx\n");
  EXPECT_EQ(m.from.name, "Jürgen Müller");
  ASSERT_EQ(m.to.size(), 1u);
  EXPECT_EQ(m.to[0].name, "Zoë");
  EXPECT_EQ(m.subject, "Grüße aus Köln");
  EXPECT_EQ(m.Header("from"), "Jürgen Müller <jm@example.de>");
  EXPECT_TRUE(HasDefect(m, "unencoded 8-bit header: From")) << Defects(m);
}

TEST(ParseMailTest, HeaderLineWithoutColonIsSkipped) {
  const ParsedMail m = Parse(
      "From: a@example.com\nThis line has no colon\nSubject: still read\n"
      "Date: not a date at all\n\nbody\n");
  EXPECT_EQ(m.subject, "still read");
  EXPECT_EQ(m.text, "body\n");
  EXPECT_FALSE(m.date.has_value());
  EXPECT_TRUE(HasDefect(m, "invalid header line ignored: This line has no colon")) << Defects(m);
  EXPECT_TRUE(HasDefect(m, "unparseable Date header: not a date at all")) << Defects(m);
}

TEST(ParseMailTest, MessageIdsWithoutBracketsAndOddReferences) {
  const ParsedMail m = Parse(
      "From: a@example.com\nMessage-ID: bare-id@example.com\n"
      "In-Reply-To: Your message of Monday <parent@example.com>\n"
      "References: <a@x> junk <b@x>\n\nx\n");
  EXPECT_EQ(m.message_id, "bare-id@example.com");
  EXPECT_EQ(m.in_reply_to, std::vector<std::string>{"parent@example.com"});
  EXPECT_EQ(m.references, (std::vector<std::string>{"a@x", "b@x"}));
}

TEST(ParseMailTest, NotAMessage) {
  EXPECT_EQ(ParseMail("").status().code(), StatusCode::kBadRequest);
  EXPECT_EQ(ParseMail(" \r\n\n").status().code(), StatusCode::kBadRequest);
  EXPECT_EQ(ParseMail("just some words, no header at all\n").status().code(),
            StatusCode::kBadRequest);
  EXPECT_EQ(ParseMail("\n\nbody without headers\n").status().code(), StatusCode::kBadRequest);
}

TEST(ParseMailTest, ByteOrderMarkBeforeTheHeaders) {
  const ParsedMail m = Parse(
      "\xEF\xBB\xBF"
      "From: a@example.com\nSubject: bom\n\nbody\n");
  EXPECT_EQ(m.from.email, "a@example.com");
  EXPECT_EQ(m.headers.front().first, "from");
  EXPECT_TRUE(HasDefect(m, "byte order mark")) << Defects(m);
}

TEST(ParseMailTest, MboxFromLineIsTolerated) {
  const ParsedMail m = Parse(
      "From alice@example.com Tue Nov 24 10:00:00 2026\nFrom: alice@example.com\n"
      "Subject: from mbox\n\nhi\n");
  EXPECT_EQ(m.subject, "from mbox");
  EXPECT_EQ(m.from.email, "alice@example.com");
}

// ---------------------------------------------------------------------------------------------
// Hostile input.

std::string Nested(int levels, std::string_view innermost) {
  std::string raw = "From: a@example.com\nSubject: deep\n";
  for (int i = 0; i < levels; ++i) {
    raw += "Content-Type: multipart/mixed; boundary=\"b" + std::to_string(i) + "\"\n\n--b" +
           std::to_string(i) + "\n";
  }
  raw += "Content-Type: text/plain\n\n";
  raw += innermost;
  raw += "\n";
  for (int i = levels - 1; i >= 0; --i) raw += "--b" + std::to_string(i) + "--\n";
  return raw;
}

TEST(ParseMailHostileTest, HundredLevelsOfNesting) {
  const ParsedMail m = Parse(Nested(100, "deep down"));
  EXPECT_EQ(m.subject, "deep");
  EXPECT_EQ(m.text, "");
  EXPECT_TRUE(HasDefect(m, "MIME nesting deeper than 32 levels ignored")) << Defects(m);

  ParseOptions generous;
  generous.max_depth = 200;
  const ParsedMail all = Parse(Nested(100, "deep down"), generous);
  EXPECT_EQ(all.text, "deep down");
  EXPECT_FALSE(HasDefect(all, "nesting")) << Defects(all);
}

TEST(ParseMailHostileTest, DeeperThanGMimeGoes) {
  // GMime itself stops at 1024 levels; the rest is read as one opaque part.
  const ParsedMail multiparts = Parse(Nested(3000, "bottom"));
  EXPECT_EQ(multiparts.text, "");
  EXPECT_TRUE(HasDefect(multiparts, "MIME nesting deeper than 32 levels ignored"))
      << Defects(multiparts);

  std::string messages;
  for (int i = 0; i < 3000; ++i)
    messages += "Subject: level " + std::to_string(i) + "\nContent-Type: message/rfc822\n\n";
  messages += "Subject: bottom\n\nbottom\n";
  const ParsedMail m = Parse(messages);
  EXPECT_EQ(m.subject, "level 0");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].content_type, "message/rfc822");
  EXPECT_EQ(m.attachments[0].data.substr(0, 16), "Subject: level 1");
}

TEST(ParseMailHostileTest, TenThousandParts) {
  std::string raw = "From: a@example.com\nContent-Type: multipart/mixed; boundary=\"p\"\n\n";
  for (int i = 0; i < 10000; ++i) {
    raw += "--p\nContent-Type: application/octet-stream\n\n" + std::to_string(i) + "\n";
  }
  raw += "--p--\n";
  const ParsedMail m = Parse(raw);
  // The multipart itself is part 1 of the 1000 allowed.
  ASSERT_EQ(m.attachments.size(), 999u);
  EXPECT_EQ(m.attachments.front().data, "0");
  EXPECT_EQ(m.attachments.back().data, "998");
  EXPECT_TRUE(HasDefect(m, "more than 1000 MIME parts; rest ignored")) << Defects(m);
  EXPECT_LE(m.defects.size(), 65u);
}

TEST(ParseMailHostileTest, OneMegabyteHeaderLine) {
  const std::string long_subject(1 << 20, 'a');
  std::string long_token(1 << 20, 'b');
  const ParsedMail m =
      Parse("From: a@example.com\nSubject: " + long_subject + "\nX-Long: " + long_token +
            "\nTo: " + std::string(1 << 20, 'c') + "@example.com\n\nbody\n");
  EXPECT_EQ(m.subject, long_subject);
  EXPECT_EQ(m.Header("x-long"), long_token);
  EXPECT_EQ(m.text, "body\n");
  ASSERT_EQ(m.to.size(), 1u);
  EXPECT_EQ(m.to[0].email.size(), (1u << 20) + 12);
}

TEST(ParseMailHostileTest, ManyEncodedWordsInOneHeader) {
  std::string subject;
  for (int i = 0; i < 20000; ++i) subject += "=?UTF-8?B?w6k=?= ";
  const ParsedMail m = Parse("From: a@example.com\nSubject: " + subject + "\n\nx\n");
  std::string expected;
  for (int i = 0; i < 20000; ++i) expected += "é";
  EXPECT_EQ(m.subject.size(), expected.size());
  EXPECT_TRUE(m.subject == expected);
}

TEST(ParseMailHostileTest, FiftyMegabyteAttachmentIsDropped) {
  const size_t size = 50u << 20;
  std::string raw =
      "From: a@example.com\nSubject: big\nContent-Type: multipart/mixed; boundary=\"big\"\n\n"
      "--big\nContent-Type: text/plain\n\nSee the attachment.\n"
      "--big\nContent-Type: application/octet-stream\n"
      "Content-Disposition: attachment; filename=\"huge.bin\"\n"
      "Content-Transfer-Encoding: base64\n\n";
  // 57 bytes of zeros per 76-character base64 line.
  const std::string line = std::string(76, 'A') + "\n";
  raw.reserve(raw.size() + (size / 57 + 1) * line.size() + 64);
  for (size_t done = 0; done < size; done += 57) raw += line;
  raw += "--big\nContent-Type: text/plain; name=\"small.txt\"\n\nsmall\n--big--\n";

  const ParsedMail m = Parse(raw);
  EXPECT_EQ(m.text, "See the attachment.");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].filename, "small.txt");
  EXPECT_TRUE(HasDefect(m, "attachment \"huge.bin\" over 10485760 bytes; dropped")) << Defects(m);
}

TEST(ParseMailHostileTest, AttachmentLimitIsExact) {
  const std::string raw =
      "From: a@example.com\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
      "--b\nContent-Type: application/octet-stream; name=\"at.bin\"\n"
      "Content-Transfer-Encoding: base64\n\nAAECAwQF\n"  // 6 bytes
      "--b\nContent-Type: application/octet-stream; name=\"over.bin\"\n\n1234567\n"
      "--b\nContent-Type: message/rfc822\n\nSubject: attached\n\nlong enough to be over\n"
      "--b--\n";
  ParseOptions options;
  options.max_attachment_bytes = 6;
  const ParsedMail m = Parse(raw, options);
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].filename, "at.bin");
  EXPECT_EQ(m.attachments[0].data, std::string("\0\1\2\3\4\5", 6));
  EXPECT_TRUE(HasDefect(m, "attachment \"over.bin\" over 6 bytes; dropped")) << Defects(m);
  EXPECT_TRUE(HasDefect(m, "attachment \"attachment\" over 6 bytes; dropped")) << Defects(m);
}

TEST(ParseMailHostileTest, NulBytes) {
  static const char kRaw[] =
      "From: a@example.com\nSubject: nul\0inside\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
      "--b\nContent-Type: text/plain; charset=utf-8\n\nbefore\0after\n"
      "--b\nContent-Type: application/octet-stream; name=\"bin\"\nContent-Transfer-Encoding: "
      "base64\n\nAAEC/w==\n--b--\n";
  const std::string raw(kRaw, sizeof(kRaw) - 1);
  const ParsedMail m = Parse(raw);
  EXPECT_EQ(m.text,
            "before\xEF\xBF\xBD"
            "after");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].data, std::string("\0\1\2\xff", 4));
}

TEST(ParseMailHostileTest, RandomBytesNeverCrash) {
  uint32_t state = 12345;
  auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return static_cast<char>(state >> 24);
  };
  const std::string seeds[] = {
      "From: a@b.c\nContent-Type: multipart/mixed; boundary=\"x\"\n\n--x\n", "Subject: =?UTF-8?B?",
      "Content-Type: text/plain; charset=iso-2022-jp\n\n\x1b$B"};
  for (const auto& seed : seeds) {
    for (int round = 0; round < 50; ++round) {
      std::string raw = seed;
      for (int i = 0; i < 2000; ++i) raw += next();
      Result<ParsedMail> r = ParseMail(raw);
      if (r.ok()) {
        EXPECT_TRUE(AllValidUtf8(*r));
      } else {
        EXPECT_EQ(r.status().code(), StatusCode::kBadRequest);
      }
    }
  }
}

TEST(ParseMailHostileTest, ConcurrentParsesAgree) {
  const std::string raw = Nested(3, "Grüße") + "";
  const ParsedMail expected = Parse(raw);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        Result<ParsedMail> r = ParseMail(raw);
        if (!r.ok() || r->text != expected.text || r->headers != expected.headers) {
          ++mismatches[t];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

// ---------------------------------------------------------------------------------------------
// Debian's copy of CPython's email test messages (package libpython3.11-testsuite).

constexpr const char* kCorpusDir = "/usr/lib/python3.11/test/test_email/data";

// The first line holds a header name: no space, a colon, or an mbox "From " line.
bool StartsWithHeader(std::string_view raw) {
  const std::string_view first = raw.substr(0, raw.find('\n'));
  if (first.rfind("From ", 0) == 0) return true;
  const size_t colon = first.find(':');
  return colon != std::string_view::npos && colon > 0 &&
         first.substr(0, colon).find_first_of(" \t") == std::string_view::npos;
}

TEST(ParseMailCorpusTest, PythonEmailTestMessagesParse) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(kCorpusDir)) {
    GTEST_SKIP() << kCorpusDir << " is missing: apt-get install libpython3.11-testsuite";
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kCorpusDir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("msg_", 0) == 0) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 40u);

  size_t parsed = 0;
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    std::ifstream in(file, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string raw = buffer.str();
    Result<ParsedMail> r = ParseMail(raw);
    if (!r.ok()) {
      // Only a file that does not start with a header may be refused.
      EXPECT_EQ(r.status().code(), StatusCode::kBadRequest);
      EXPECT_FALSE(StartsWithHeader(raw)) << r.status().ToString();
      continue;
    }
    ++parsed;
    EXPECT_TRUE(AllValidUtf8(*r));
    EXPECT_FALSE(r->headers.empty());
  }
  EXPECT_GE(parsed, files.size() - 1);
}

// A few corpus messages checked value by value.
ParsedMail ParseCorpusFile(const std::string& name) {
  std::ifstream in(std::string(kCorpusDir) + "/" + name, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return Parse(buffer.str());
}

TEST(ParseMailCorpusTest, SelectedMessagesDecodeExactly) {
  if (!std::filesystem::is_directory(kCorpusDir)) GTEST_SKIP() << kCorpusDir << " is missing";

  const ParsedMail m01 = ParseCorpusFile("msg_01.txt");
  EXPECT_EQ(m01.message_id, "15090.61304.110929.45684@aaa.zzz.org");
  EXPECT_EQ(m01.from.name, "John X. Doe");
  EXPECT_EQ(m01.from.email, "bbb@ddd.com");
  EXPECT_EQ(m01.return_path, "bbb@zzz.org");
  EXPECT_EQ(Iso(m01.date), "2001-05-04T18:05:44.000Z");
  EXPECT_EQ(m01.text, "\nHi,\n\nDo you like this message?\n\n-Me\n");

  const ParsedMail m07 = ParseCorpusFile("msg_07.txt");
  EXPECT_EQ(m07.text, "Hi there,\n\nThis is the dingus fish.\n");
  ASSERT_EQ(m07.attachments.size(), 1u);
  EXPECT_EQ(m07.attachments[0].filename, "dingusfish.gif");
  EXPECT_EQ(m07.attachments[0].content_type, "image/gif");
  EXPECT_EQ(m07.attachments[0].data.substr(0, 6), "GIF87a");

  const ParsedMail m16 = ParseCorpusFile("msg_16.txt");  // A DSN without report-type.
  EXPECT_TRUE(m16.is_bounce);
  EXPECT_TRUE(m16.null_return_path);
  EXPECT_EQ(m16.bounced_message_id, "002001c144a6$8752e060$56104586@oxy.edu");

  const ParsedMail m25 = ParseCorpusFile("msg_25.txt");  // A DSN with a broken boundary.
  EXPECT_TRUE(m25.is_bounce);
  EXPECT_EQ(m25.bounced_message_id, "01040616033903.00962@server");
  EXPECT_TRUE(HasDefect(m25, "missing boundary parameter")) << Defects(m25);

  const ParsedMail m43 = ParseCorpusFile("msg_43.txt");
  EXPECT_TRUE(m43.is_bounce);
  EXPECT_EQ(m43.bounced_message_id, "edab.7804f5cb8070@python.org");
}

}  // namespace
}  // namespace steadfast::mail
