#include "engine/chase.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace steadfast::engine {
namespace {

struct Labelled {
  bool chase = false;
  std::string text;
  size_t line = 0;
};

// Reads "chase|not_chase <TAB> message" lines; "\n", "\t" and "\\" in the message are escapes.
std::vector<Labelled> LoadSet(const std::string& name) {
  std::ifstream in(std::string(SF_TEST_DATA_DIR) + "/" + name);
  EXPECT_TRUE(in.is_open()) << name;
  std::vector<Labelled> set;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty()) {
      continue;
    }
    size_t tab = line.find('\t');
    std::string label = line.substr(0, tab);
    EXPECT_TRUE(tab != std::string::npos && (label == "chase" || label == "not_chase"))
        << name << ":" << number;
    Labelled item{label == "chase", "", number};
    for (size_t i = tab + 1; i < line.size(); ++i) {
      if (line[i] == '\\' && i + 1 < line.size()) {
        char next = line[++i];
        item.text += next == 'n' ? '\n' : next == 't' ? '\t' : next;
      } else {
        item.text += line[i];
      }
    }
    set.push_back(std::move(item));
  }
  return set;
}

struct Score {
  size_t true_pos = 0, false_pos = 0, false_neg = 0, true_neg = 0;
  double precision() const {
    return true_pos + false_pos == 0 ? 0 : double(true_pos) / double(true_pos + false_pos);
  }
  double recall() const {
    return true_pos + false_neg == 0 ? 0 : double(true_pos) / double(true_pos + false_neg);
  }
};

Score Evaluate(const std::string& name, const std::vector<Labelled>& set) {
  Score score;
  for (const Labelled& item : set) {
    ChaseVerdict verdict = DetectChase(item.text);
    if (verdict.is_chase == item.chase) {
      ++(item.chase ? score.true_pos : score.true_neg);
      continue;
    }
    ++(item.chase ? score.false_neg : score.false_pos);
    std::printf("  %s:%zu %s: %s\n    -> %s\n", name.c_str(), item.line,
                item.chase ? "MISSED CHASE" : "FALSE CHASE", item.text.c_str(),
                verdict.explanation.c_str());
  }
  std::printf("%s: %zu messages, %zu chases; precision %.3f (%zu/%zu), recall %.3f (%zu/%zu)\n",
              name.c_str(), set.size(), score.true_pos + score.false_neg, score.precision(),
              score.true_pos, score.true_pos + score.false_pos, score.recall(), score.true_pos,
              score.true_pos + score.false_neg);
  return score;
}

bool IsChase(std::string_view text, std::string_view language = "en") {
  return DetectChase(text, language).is_chase;
}

TEST(ChaseTest, AsksOnlyForNews) {
  for (const char* text :
       {"Any update?", "bumping this", "hello??", "?", "Still waiting...", "Ping",
        "Following up on my previous email.", "Is anyone looking at this?",
        "When will this be fixed?", "can I get an update please", "Did you get my last message?",
        "just checking in on this", "Could someone at least acknowledge this email?"}) {
    EXPECT_TRUE(IsChase(text)) << text;
  }
}

TEST(ChaseTest, NormalizesCaseQuotesSpacingAndSpelling) {
  EXPECT_TRUE(IsChase("It\u2019s been 3 days and nothing."));
  EXPECT_TRUE(IsChase("ANY UPDATE???"));
  EXPECT_TRUE(IsChase("helloooo?"));
  EXPECT_TRUE(IsChase("stil waiting on a responce"));
  EXPECT_TRUE(IsChase("any updte pls"));
  EXPECT_TRUE(IsChase("Checking in again \u2014 any news?"));
  EXPECT_TRUE(IsChase("  It's\tbeen   a\u00a0week.\r\n"));
}

TEST(ChaseTest, SetsGreetingsSignOffsAndSignaturesAside) {
  EXPECT_TRUE(IsChase("Hi team,\n\nAny news on this?\n\nThanks,\nMary"));
  EXPECT_TRUE(
      IsChase("Any update?\n\nKind regards,\nPriya Natarajan\nOperations Manager | "
              "Brightline Logistics\n+44 20 7946 0958\nwww.brightline.example"));
  EXPECT_TRUE(IsChase("any updates??\n\nSent from my iPhone"));
  EXPECT_TRUE(IsChase("Any news regarding my case?\n\n--\nJ. Okafor\nTel: +1 (312) 555-0187"));
  EXPECT_TRUE(IsChase("Just following up, please let me know. Thanks, Sarah"));
  EXPECT_TRUE(IsChase("Dear Sir/Madam,\n\nAny update?\n\nYours faithfully,\nR. Hughes"));
  // A signature block without a sign-off above it.
  EXPECT_TRUE(IsChase("Any update?\nJohn Smith\nAcme Ltd\n+1 415 555 0132"));
  // A name typed in lower case after a sign-off.
  EXPECT_TRUE(IsChase("hi, any update? cheers, dave"));
  EXPECT_TRUE(IsChase("Any update?\nthanks\ndave"));
  // Legal disclaimers and image placeholders left by the HTML-to-text step.
  EXPECT_TRUE(
      IsChase("Any update?\n\nCONFIDENTIALITY NOTICE: This email and any attachments "
              "are confidential and intended solely for the addressee."));
  EXPECT_TRUE(
      IsChase("any update\n\nRegards\nMohammed Al-Sayed\nProcurement\n\n"
              "[cid:image001.png@01D9]"));
  // Quoted lines, should intake leave any.
  EXPECT_TRUE(IsChase("Any update?\n> On Monday you wrote:\n> We are looking into it."));
}

TEST(ChaseTest, KeepsWhatFollowsASignOffWhenItIsNotASignature) {
  EXPECT_FALSE(IsChase("Any update?\nThanks!\nAlso my address changed to 14 Elm Street."));
  EXPECT_FALSE(IsChase("Any update?\nThanks,\nMary\n\nP.S. my new number is 07700 900123"));
  // A footer is a short line; a long one starting the same way is the customer's.
  EXPECT_FALSE(IsChase("Any update?\nSent from our Leeds warehouse on Monday, it came back torn"));
  // Without a sign-off, a URL with a path on the last line is news, not a signature.
  EXPECT_FALSE(IsChase("Still waiting.\nhttps://shop.example.com/orders/5521/track"));
}

TEST(ChaseTest, NumbersIdsLinksAddressesErrorsAndAttachmentsAreNews) {
  for (const char* text :
       {"Any update? Order 5521.", "Still waiting, and now it shows error 504",
        "Any news? See https://status.example.com/incidents/77",
        "Any update? My email is now jane@acme.example", "any update? I've attached the logs",
        "Still waiting. It says \"Session expired\"", "Any update? Serial SN-4482-991",
        "Still waiting for the refund of $49.99"}) {
    EXPECT_FALSE(IsChase(text)) << text;
  }
}

TEST(ChaseTest, TicketReferencesAndSpansOfTimeAreNotNews) {
  for (const char* text :
       {"Any update on ticket #48213?", "Case number 7781 - any news?", "It's been 48 hours.",
        "I emailed 4 days ago and still no response!!!!", "Still waiting since Monday.",
        "Hi, I raised this ticket on Tuesday and have heard nothing since.",
        "It has been over a week now, any progress?"}) {
    EXPECT_TRUE(IsChase(text)) << text;
  }
}

TEST(ChaseTest, ChasePhraseMayNameAShortTopic) {
  EXPECT_TRUE(IsChase("Any update on my refund?"));
  EXPECT_TRUE(IsChase("Still waiting for the replacement."));
  EXPECT_TRUE(IsChase("Hi, checking on the status of my return."));
  EXPECT_FALSE(IsChase("Any update on when the API rate limits will be raised?"));
  EXPECT_FALSE(IsChase("Any news about the blue kettle lid hinge replacement part?"));
  EXPECT_FALSE(IsChase("Any update on the refund? Also my address changed to 14 Elm Street."));
  EXPECT_FALSE(IsChase("I'm waiting for my manager's approval before we proceed."));
}

TEST(ChaseTest, SomeWordsAskForNewsOnlyAsAQuestion) {
  EXPECT_TRUE(IsChase("status?"));
  EXPECT_TRUE(IsChase("Hello?"));
  EXPECT_TRUE(IsChase("anyone??"));
  EXPECT_FALSE(IsChase("Hello,"));
  EXPECT_FALSE(IsChase("Hello team"));
  EXPECT_FALSE(IsChase("Anyone else seeing this?"));
  EXPECT_FALSE(IsChase("Hello?? The site is down again!! 503 on every page"));
}

TEST(ChaseTest, HardNegatives) {
  for (const char* text : {
           "following up on my order #123, the blue one arrived broken",
           "following up: I tried clearing the cache and now it shows error 504",
           "Thanks, that fixed it!",
           "The package is still waiting at customs, tracking 1Z999AA10123456784",
           "No update needed, it works now.",
           "Thanks for the update!",
           "Great, thanks!",
           "Can I get an update to the latest version without paying again?",
           "Can you update my billing email to accounts@acme.example?",
           "When will the blue version be back in stock?",
           "I'll wait for your reply then.",
           "Just checking: do you ship to Norway?",
           "Is anyone else having this problem?",
           "When will this be fixed? It's costing us about $2,000 a day.",
           "Still not working.",
       }) {
    EXPECT_FALSE(IsChase(text)) << text;
  }
}

TEST(ChaseTest, ExplainsTheVerdict) {
  ChaseVerdict chase = DetectChase("Hi,\nAny update? Still waiting.\nThanks\nJohn");
  EXPECT_TRUE(chase.is_chase);
  EXPECT_EQ(chase.chase_phrases, (std::vector<std::string>{"Any update", "Still waiting"}));
  EXPECT_EQ(chase.explanation, "Chase: asks only for news ('Any update', 'Still waiting').");
  EXPECT_TRUE(chase.new_information.empty());

  ChaseVerdict news = DetectChase("Following up: the blue one arrived broken.");
  EXPECT_FALSE(news.is_chase);
  EXPECT_EQ(news.new_information, "the blue one arrived broken.");
  EXPECT_EQ(news.explanation,
            "Not a chase: carries new information: 'the blue one arrived broken.'.");

  EXPECT_EQ(DetectChase("Great, thanks!").explanation, "Not a chase: does not ask for news.");
  EXPECT_EQ(DetectChase("").explanation,
            "Not a chase: nothing is left after greetings and signature.");
}

TEST(ChaseTest, OddInputNeverFails) {
  EXPECT_FALSE(IsChase(""));
  EXPECT_FALSE(IsChase(" \n\t\n"));
  EXPECT_FALSE(IsChase("\xF0\x9F\x99\x8F"));  // An emoji alone.
  EXPECT_TRUE(IsChase("\xFF\xFE any update?"));
  EXPECT_FALSE(IsChase(std::string("any update?\0 order 5", 20)));
  std::string long_text;
  for (int i = 0; i < 5000; ++i) {
    long_text += "still waiting, any update?\n";
  }
  EXPECT_TRUE(IsChase(long_text));
  EXPECT_FALSE(IsChase(long_text + "PS: order 5521"));
  std::string quantities = "any update? it has been";
  for (int i = 0; i < 20000; ++i) {
    quantities += " a few";  // Would be quadratic if a span of time had no bound.
  }
  EXPECT_FALSE(IsChase(quantities));
}

TEST(ChaseTest, LanguageTagsPickTheRules) {
  EXPECT_TRUE(IsChase("Any update?", "en-GB"));
  EXPECT_TRUE(IsChase("Any update?", ""));
  EXPECT_TRUE(IsChase("Any update?", "EN_us"));
  ChaseVerdict unknown = DetectChase("Any update?", "xx");
  EXPECT_FALSE(unknown.is_chase);
  EXPECT_EQ(unknown.explanation, "Not a chase: no chase rules for language 'xx'.");
  EXPECT_EQ(ChaseLanguages(), (std::vector<std::string>{"en", "es"}));
}

TEST(ChaseSpanishTest, DetectsTheCommonChases) {
  EXPECT_TRUE(IsChase("\u00bfAlguna novedad?", "es"));
  EXPECT_TRUE(IsChase("Hola, sigo esperando una respuesta.\nSaludos,\nAna Garc\u00eda", "es"));
  EXPECT_TRUE(IsChase("Buenos d\u00edas, \u00bfc\u00f3mo va mi solicitud? Gracias", "es"));
  EXPECT_TRUE(IsChase("Nadie me ha respondido todav\u00eda.\n\nEnviado desde mi iPhone", "es"));
  EXPECT_FALSE(
      IsChase("Sigo esperando el reembolso del pedido 4411 y ahora me han cobrado "
              "otra vez",
              "es"));
  EXPECT_FALSE(IsChase("Gracias, ya funciona.", "es"));
  EXPECT_FALSE(IsChase("\u00bfAlguna novedad?", "en"));  // English rules know no Spanish.
}

TEST(ChaseDetectorTest, ANewLanguageIsOnlyData) {
  ChaseLanguage fr;
  fr.code = "fr";
  fr.chase_phrases = {"des|avez-vous|une nouvelles|nouvelle|réponse", "toujours en attente",
                      "je relance|reviens vers vous?", "relance"};
  fr.question_chases = {"allo", "allô"};
  fr.greetings = {"bonjour|bonsoir|madame|monsieur"};
  fr.sign_offs = {"cordialement|merci", "bien à vous"};
  fr.footers = {"envoyé de mon"};
  fr.filler_words = {"je",  "suis", "de", "votre", "part", "ma",   "mon", "demande",
                     "svp", "la",   "le", "du",    "des",  "avez", "vous"};
  fr.topic_prepositions = {"pour", "sur", "concernant"};
  fr.reference_nouns = {"dossier"};
  fr.time_quantities = {"depuis", "trois", "une"};
  fr.time_units = {"jours", "semaine"};
  ChaseDetector detector(fr);
  EXPECT_EQ(detector.language(), "fr");
  EXPECT_TRUE(detector.Detect("Bonjour, des nouvelles ?\nCordialement,\nMarie Dupont").is_chase);
  EXPECT_TRUE(detector.Detect("Toujours en attente depuis trois jours.").is_chase);
  EXPECT_TRUE(detector.Detect("Allô ??").is_chase);
  EXPECT_TRUE(detector.Detect("Je relance pour le dossier 5521.").is_chase);
  EXPECT_FALSE(detector
                   .Detect("Toujours en attente du remboursement, et le colis est revenu "
                           "abîmé.")
                   .is_chase);
}

TEST(ChaseDetectorTest, AMalformedPatternIsABug) {
  ChaseLanguage bad;
  bad.code = "xx";
  bad.chase_phrases = {"any? update?"};  // Nothing required: would match anything.
  EXPECT_DEATH(ChaseDetector{bad}, "CHECK failed");
}

TEST(ChaseDetectorTest, SafeFromManyThreads) {
  std::vector<Labelled> set = LoadSet("chases.tsv");
  std::vector<bool> expected;
  for (const Labelled& item : set) {
    expected.push_back(DetectChase(item.text).is_chase);
  }
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 5; ++round) {
        for (size_t i = 0; i < set.size(); ++i) {
          mismatches[t] += DetectChase(set[i].text).is_chase != expected[i] ? 1 : 0;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

// The set the rules were developed on: every miss here was looked at while writing them. The
// bar is precision 0.95 and recall 0.90; today's figures are 1.000 (132/132) and 0.992 (132/133),
// and the floors sit just under them so that a regression of a few messages fails.
TEST(ChaseLabelledSet, Development) {
  std::vector<Labelled> set = LoadSet("chases.tsv");
  ASSERT_GE(set.size(), 200u);
  Score score = Evaluate("chases.tsv", set);
  EXPECT_GE(score.precision(), 0.98);
  EXPECT_GE(score.recall(), 0.97);
}

// Written after the rules were finished and measured once, without tuning afterwards: precision
// 0.955 (21/22), recall 0.600 (21/35). The floors sit just under that, so that two more missed
// chases, or two more false ones, fail.
TEST(ChaseLabelledSet, HeldOut) {
  std::vector<Labelled> set = LoadSet("chases_holdout.tsv");
  ASSERT_GE(set.size(), 60u);
  Score score = Evaluate("chases_holdout.tsv", set);
  EXPECT_GE(score.precision(), 0.90);
  EXPECT_GE(score.recall(), 0.55);
}

}  // namespace
}  // namespace steadfast::engine
