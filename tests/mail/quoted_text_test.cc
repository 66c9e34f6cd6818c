#include "mail/quoted_text.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>

namespace steadfast::mail {
namespace {

struct QuoteCase {
  const char* name;
  std::string text;
  std::string fresh;
  std::string quoted;
};

std::string WithoutWhitespace(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      out += c;
    }
  }
  return out;
}

void PrintTo(const QuoteCase& c, std::ostream* os) { *os << c.name; }

class QuotedTextTest : public testing::TestWithParam<QuoteCase> {};

TEST_P(QuotedTextTest, SplitsExactly) {
  const QuoteCase& c = GetParam();
  SplitText split = SplitQuotedHistory(c.text);
  EXPECT_EQ(split.fresh, c.fresh);
  EXPECT_EQ(split.quoted, c.quoted);
}

TEST_P(QuotedTextTest, LosesNoText) {
  const QuoteCase& c = GetParam();
  SplitText split = SplitQuotedHistory(c.text);
  EXPECT_EQ(WithoutWhitespace(split.fresh + split.quoted), WithoutWhitespace(c.text));
  // The split is a cut: fresh is the start of the text, quoted its end.
  EXPECT_EQ(c.text.rfind(split.fresh, 0), 0u);
  EXPECT_EQ(c.text.substr(c.text.size() - split.quoted.size()), split.quoted);
}

INSTANTIATE_TEST_SUITE_P(
    Replies, QuotedTextTest,
    testing::Values(
        QuoteCase{"GmailTopPosted",
                  "Thanks, that fixed it!\n\n"
                  "On Mon, Jan 5, 2026 at 10:00 AM Maria Lopez <maria@example.com> wrote:\n\n"
                  "> Hi Bob,\n>\n> Please try restarting the router.\n>\n> Maria\n",
                  "Thanks, that fixed it!",
                  "On Mon, Jan 5, 2026 at 10:00 AM Maria Lopez <maria@example.com> wrote:\n\n"
                  "> Hi Bob,\n>\n> Please try restarting the router.\n>\n> Maria\n"},
        QuoteCase{"GmailWrappedAttribution",
                  "Works now.\n\nOn Mon, Jan 5, 2026 at 10:00 AM Maria Lopez from Support <\n"
                  "support@example.com> wrote:\n\n> Please try again.\n",
                  "Works now.",
                  "On Mon, Jan 5, 2026 at 10:00 AM Maria Lopez from Support <\n"
                  "support@example.com> wrote:\n\n> Please try again.\n"},
        QuoteCase{"GmailNestedHistory",
                  "Great.\n\nOn Tue, Jan 6, 2026 at 9:00 AM Bob <bob@example.com> wrote:\n"
                  "> Done.\n>\n> On Mon, Jan 5, 2026 at 10:00 AM Maria <maria@example.com> "
                  "wrote:\n>> Please restart.\n",
                  "Great.",
                  "On Tue, Jan 6, 2026 at 9:00 AM Bob <bob@example.com> wrote:\n"
                  "> Done.\n>\n> On Mon, Jan 5, 2026 at 10:00 AM Maria <maria@example.com> "
                  "wrote:\n>> Please restart.\n"},
        QuoteCase{"GmailCrLf",
                  "Thanks!\r\n\r\nOn Mon, Jan 5, 2026 at 10:00 AM Maria <maria@example.com> "
                  "wrote:\r\n\r\n> Hi\r\n",
                  "Thanks!",
                  "On Mon, Jan 5, 2026 at 10:00 AM Maria <maria@example.com> wrote:\r\n\r\n"
                  "> Hi\r\n"},
        QuoteCase{"OutlookDesktop",
                  "Hi,\n\nThe invoice is attached.\n\nRegards,\nTom\n\n"
                  "________________________________\n"
                  "From: Support <support@example.com>\n"
                  "Sent: Monday, January 5, 2026 10:00 AM\n"
                  "To: Tom Smith <tom@example.com>\n"
                  "Subject: RE: Invoice 4411\n\nHi Tom,\nCould you send the invoice?\n",
                  "Hi,\n\nThe invoice is attached.\n\nRegards,\nTom",
                  "________________________________\n"
                  "From: Support <support@example.com>\n"
                  "Sent: Monday, January 5, 2026 10:00 AM\n"
                  "To: Tom Smith <tom@example.com>\n"
                  "Subject: RE: Invoice 4411\n\nHi Tom,\nCould you send the invoice?\n"},
        QuoteCase{"OutlookOriginalMessage",
                  "Please cancel my order.\n\n-----Original Message-----\n"
                  "From: Shop <orders@shop.example>\nSent: Sunday, January 4, 2026 9:12 PM\n"
                  "To: anna@example.com\nSubject: Your order 5512\n\nThank you for your order.\n",
                  "Please cancel my order.",
                  "-----Original Message-----\n"
                  "From: Shop <orders@shop.example>\nSent: Sunday, January 4, 2026 9:12 PM\n"
                  "To: anna@example.com\nSubject: Your order 5512\n\nThank you for your order.\n"},
        QuoteCase{"OutlookBoldLabelsFromHtml",
                  "Ok.\n\n*From:* Support <support@example.com>\n"
                  "*Sent:* Monday, January 5, 2026 10:00 AM\n*To:* Tom <tom@example.com>\n"
                  "*Subject:* Ticket 12\n\nHi Tom\n",
                  "Ok.",
                  "*From:* Support <support@example.com>\n"
                  "*Sent:* Monday, January 5, 2026 10:00 AM\n*To:* Tom <tom@example.com>\n"
                  "*Subject:* Ticket 12\n\nHi Tom\n"},
        QuoteCase{"AppleMailIphone",
                  "Yes please go ahead.\n\nSent from my iPhone\n\n"
                  "> On Jan 5, 2026, at 10:00 AM, Maria Lopez <maria@example.com> wrote:\n"
                  ">\n> Shall we replace the device?\n",
                  "Yes please go ahead.\n\nSent from my iPhone",
                  "> On Jan 5, 2026, at 10:00 AM, Maria Lopez <maria@example.com> wrote:\n"
                  ">\n> Shall we replace the device?\n"},
        QuoteCase{"AppleMailMac",
                  "Perfect, thank you.\n\nAnna\n\n"
                  "> On 5 Jan 2026, at 10:00, Maria Lopez <maria@example.com> wrote:\n"
                  "> \n> Your replacement ships today.\n> \n",
                  "Perfect, thank you.\n\nAnna",
                  "> On 5 Jan 2026, at 10:00, Maria Lopez <maria@example.com> wrote:\n"
                  "> \n> Your replacement ships today.\n> \n"},
        QuoteCase{"Thunderbird",
                  "Thanks!\n\nOn 1/5/26 10:00 AM, Maria Lopez wrote:\n"
                  "> Your ticket was updated.\n> \n> -- \n> Maria\n",
                  "Thanks!",
                  "On 1/5/26 10:00 AM, Maria Lopez wrote:\n"
                  "> Your ticket was updated.\n> \n> -- \n> Maria\n"},
        QuoteCase{"GermanGmailWrapped",
                  "Danke, das hat geholfen.\n\n"
                  "Am Mo., 5. Jan. 2026 um 10:00 Uhr schrieb Maria Lopez <\n"
                  "maria@example.com>:\n\n> Hallo,\n> bitte starten Sie den Router neu.\n",
                  "Danke, das hat geholfen.",
                  "Am Mo., 5. Jan. 2026 um 10:00 Uhr schrieb Maria Lopez <\n"
                  "maria@example.com>:\n\n> Hallo,\n> bitte starten Sie den Router neu.\n"},
        QuoteCase{"GermanThunderbird",
                  "Passt.\n\nAm 05.01.26 um 10:00 schrieb Maria Lopez:\n> Termin am Freitag?\n",
                  "Passt.", "Am 05.01.26 um 10:00 schrieb Maria Lopez:\n> Termin am Freitag?\n"},
        QuoteCase{"GermanOutlook",
                  "Bitte um Rückruf.\n\nMit freundlichen Grüßen\nJonas\n\n"
                  "Von: Support <support@example.com>\n"
                  "Gesendet: Montag, 5. Januar 2026 10:00\n"
                  "An: Jonas <jonas@example.de>\nBetreff: AW: Ticket 221\n\nHallo Jonas,\n",
                  "Bitte um Rückruf.\n\nMit freundlichen Grüßen\nJonas",
                  "Von: Support <support@example.com>\n"
                  "Gesendet: Montag, 5. Januar 2026 10:00\n"
                  "An: Jonas <jonas@example.de>\nBetreff: AW: Ticket 221\n\nHallo Jonas,\n"},
        QuoteCase{"GermanOriginalMessage",
                  "Erledigt.\n\n-----Ursprüngliche Nachricht-----\nVon: Support\n"
                  "Gesendet: Montag\nBetreff: Test\n",
                  "Erledigt.",
                  "-----Ursprüngliche Nachricht-----\nVon: Support\n"
                  "Gesendet: Montag\nBetreff: Test\n"},
        QuoteCase{"FrenchGmail",
                  "Merci beaucoup !\n\n"
                  "Le lun. 5 janv. 2026 à 10:00, Maria Lopez <maria@example.com> a écrit :\n\n"
                  "> Bonjour,\n> Votre colis est parti.\n",
                  "Merci beaucoup !",
                  "Le lun. 5 janv. 2026 à 10:00, Maria Lopez <maria@example.com> a écrit :\n\n"
                  "> Bonjour,\n> Votre colis est parti.\n"},
        QuoteCase{"FrenchThunderbirdNoBreakSpace",
                  "Parfait.\n\nLe 05/01/2026 à 10:00, Maria Lopez a écrit\u00a0:\n> Ça marche ?\n",
                  "Parfait.", "Le 05/01/2026 à 10:00, Maria Lopez a écrit\u00a0:\n> Ça marche ?\n"},
        QuoteCase{"FrenchOutlook",
                  "Bonjour,\nC'est réglé.\n\nDe : Support <support@example.com>\n"
                  "Envoyé : lundi 5 janvier 2026 10:00\nÀ : Claire <claire@example.fr>\n"
                  "Objet : RE: Facture\n\nBonjour Claire,\n",
                  "Bonjour,\nC'est réglé.",
                  "De : Support <support@example.com>\n"
                  "Envoyé : lundi 5 janvier 2026 10:00\nÀ : Claire <claire@example.fr>\n"
                  "Objet : RE: Facture\n\nBonjour Claire,\n"},
        QuoteCase{"SpanishGmail",
                  "Gracias, ya funciona.\n\n"
                  "El lun, 5 ene 2026 a las 10:00, Maria Lopez (<maria@example.com>) escribió:\n\n"
                  "> Hola,\n> ¿Puede probar de nuevo?\n",
                  "Gracias, ya funciona.",
                  "El lun, 5 ene 2026 a las 10:00, Maria Lopez (<maria@example.com>) escribió:\n\n"
                  "> Hola,\n> ¿Puede probar de nuevo?\n"},
        QuoteCase{"SpanishOutlook",
                  "Adjunto la factura.\n\nDe: Soporte <soporte@example.com>\n"
                  "Enviado: lunes, 5 de enero de 2026 10:00\nPara: Luis <luis@example.es>\n"
                  "Asunto: RE: Factura\n\nHola Luis,\n",
                  "Adjunto la factura.",
                  "De: Soporte <soporte@example.com>\n"
                  "Enviado: lunes, 5 de enero de 2026 10:00\nPara: Luis <luis@example.es>\n"
                  "Asunto: RE: Factura\n\nHola Luis,\n"},
        QuoteCase{"PortugueseGmail",
                  "Obrigado!\n\n"
                  "Em seg., 5 de jan. de 2026 às 10:00, Maria Lopez <maria@example.com> "
                  "escreveu:\n\n> Olá,\n> O pedido foi enviado.\n",
                  "Obrigado!",
                  "Em seg., 5 de jan. de 2026 às 10:00, Maria Lopez <maria@example.com> "
                  "escreveu:\n\n> Olá,\n> O pedido foi enviado.\n"},
        QuoteCase{"PortugueseOutlook",
                  "Segue o comprovante.\n\nDe: Suporte <suporte@example.com>\n"
                  "Enviada em: segunda-feira, 5 de janeiro de 2026 10:00\n"
                  "Para: Ana <ana@example.com.br>\nAssunto: RE: Pedido 77\n\nOlá Ana,\n",
                  "Segue o comprovante.",
                  "De: Suporte <suporte@example.com>\n"
                  "Enviada em: segunda-feira, 5 de janeiro de 2026 10:00\n"
                  "Para: Ana <ana@example.com.br>\nAssunto: RE: Pedido 77\n\nOlá Ana,\n"},
        QuoteCase{"DutchGmail",
                  "Bedankt, het werkt weer.\n\n"
                  "Op ma 5 jan 2026 om 10:00 schreef Maria Lopez <maria@example.com>:\n\n"
                  "> Hallo,\n> Kunt u het opnieuw proberen?\n",
                  "Bedankt, het werkt weer.",
                  "Op ma 5 jan 2026 om 10:00 schreef Maria Lopez <maria@example.com>:\n\n"
                  "> Hallo,\n> Kunt u het opnieuw proberen?\n"},
        QuoteCase{"DutchOutlook",
                  "Zie bijlage.\n\nVan: Support <support@example.com>\n"
                  "Verzonden: maandag 5 januari 2026 10:00\nAan: Piet <piet@example.nl>\n"
                  "Onderwerp: RE: Offerte\n\nBeste Piet,\n",
                  "Zie bijlage.",
                  "Van: Support <support@example.com>\n"
                  "Verzonden: maandag 5 januari 2026 10:00\nAan: Piet <piet@example.nl>\n"
                  "Onderwerp: RE: Offerte\n\nBeste Piet,\n"},
        QuoteCase{"ItalianGmail",
                  "Grazie.\n\nIl giorno lun 5 gen 2026 alle ore 10:00 Maria Lopez "
                  "<maria@example.com> ha scritto:\n\n> Ciao\n",
                  "Grazie.",
                  "Il giorno lun 5 gen 2026 alle ore 10:00 Maria Lopez "
                  "<maria@example.com> ha scritto:\n\n> Ciao\n"},
        QuoteCase{"SignatureOnly",
                  "Please call me back.\n\n-- \nBob Smith\nACME Corp\n+1 555 0100\n",
                  "Please call me back.", "-- \nBob Smith\nACME Corp\n+1 555 0100\n"},
        QuoteCase{"SignatureThenHistory",
                  "Done.\n\n-- \nBob\n\nOn Mon, Jan 5, 2026 at 10:00 AM Maria <m@example.com> "
                  "wrote:\n> Is it done?\n",
                  "Done.",
                  "-- \nBob\n\nOn Mon, Jan 5, 2026 at 10:00 AM Maria <m@example.com> "
                  "wrote:\n> Is it done?\n"},
        QuoteCase{"TrailingQuoteWithoutAttribution",
                  "Agreed.\n\n> We will ship on Monday.\n> Regards\n", "Agreed.",
                  "> We will ship on Monday.\n> Regards\n"},
        QuoteCase{"TrailingQuoteWithShortAttribution",
                  "Sounds good.\n\nMaria Lopez wrote:\n> Shall we meet at 3?\n", "Sounds good.",
                  "Maria Lopez wrote:\n> Shall we meet at 3?\n"},
        QuoteCase{"InlineReplyKeptWhole",
                  "On Mon, Jan 5, 2026 at 10:00 AM Maria <maria@example.com> wrote:\n"
                  "> Which model do you have?\nThe X200.\n\n> Since when does it fail?\n"
                  "Since Monday.\n",
                  "On Mon, Jan 5, 2026 at 10:00 AM Maria <maria@example.com> wrote:\n"
                  "> Which model do you have?\nThe X200.\n\n> Since when does it fail?\n"
                  "Since Monday.",
                  ""},
        QuoteCase{"InlineReplyWithUnansweredTail",
                  "Hi,\n\n> Which model?\nX200\n\n> Since when?\nMonday\n\n> Anything else?\n",
                  "Hi,\n\n> Which model?\nX200\n\n> Since when?\nMonday\n\n> Anything else?", ""},
        QuoteCase{"BottomPostedWithSignature",
                  "Maria wrote:\n> Is it fixed?\n\nYes, all good now.\n\n-- \nBob\n",
                  "Maria wrote:\n> Is it fixed?\n\nYes, all good now.", "-- \nBob\n"},
        QuoteCase{"NoQuote", "Hello,\n\nmy printer is broken.\n\nThanks\n\n\n",
                  "Hello,\n\nmy printer is broken.\n\nThanks", ""},
        QuoteCase{"ProseThatLooksLikeAttribution",
                  "On Monday the technician wrote:\nthe part is on order.\n",
                  "On Monday the technician wrote:\nthe part is on order.", ""},
        QuoteCase{"FromLineInProse", "From: the desk of Tom\nPlease call me.\n",
                  "From: the desk of Tom\nPlease call me.", ""},
        QuoteCase{"ForwardedMessageIsContent",
                  "Please see below.\n\n---------- Forwarded message ---------\n"
                  "From: Bank <noreply@bank.example>\nDate: Mon, Jan 5, 2026 at 10:00 AM\n"
                  "Subject: Your statement\nTo: <anna@example.com>\n\nYour statement is ready.\n",
                  "Please see below.\n\n---------- Forwarded message ---------\n"
                  "From: Bank <noreply@bank.example>\nDate: Mon, Jan 5, 2026 at 10:00 AM\n"
                  "Subject: Your statement\nTo: <anna@example.com>\n\nYour statement is ready.",
                  ""},
        QuoteCase{"OnlyHistoryKeptInFresh",
                  "On Mon, Jan 5, 2026 at 10:00 AM Maria <maria@example.com> wrote:\n> Hi\n",
                  "On Mon, Jan 5, 2026 at 10:00 AM Maria <maria@example.com> wrote:\n> Hi", ""},
        QuoteCase{"ProseLineBeforeAttributionNotSwallowed",
                  "On the other hand, it works.\n"
                  "On Mon, Jan 5, 2026 at 10:00 AM Maria <maria@example.com> wrote:\n> Hi\n",
                  "On the other hand, it works.",
                  "On Mon, Jan 5, 2026 at 10:00 AM Maria <maria@example.com> wrote:\n> Hi\n"},
        QuoteCase{"Empty", "", "", ""}),
    [](const testing::TestParamInfo<QuoteCase>& info) { return std::string(info.param.name); });

TEST(QuotedTextEdgeTest, LongLinesAreNotAttributions) {
  std::string line = "On " + std::string(1000, 'x') + " 2026 wrote:";
  std::string text = "Fresh.\n\n" + line + "\nmore\n";
  SplitText split = SplitQuotedHistory(text);
  EXPECT_EQ(split.fresh, "Fresh.\n\n" + line + "\nmore");
  EXPECT_EQ(split.quoted, "");
}

TEST(QuotedTextEdgeTest, LongInlineReplyKeptWhole) {
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    text += "On Mon, Jan 5, 2026 at 10:00 AM Maria <maria@example.com> wrote:\n> q\na\n";
  }
  SplitText split = SplitQuotedHistory(text);
  EXPECT_EQ(split.fresh, text.substr(0, text.size() - 1));
  EXPECT_EQ(split.quoted, "");
}

}  // namespace
}  // namespace steadfast::mail
