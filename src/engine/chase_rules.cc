// The built-in chase rules: one ChaseLanguage per language, and the registry DetectChase uses.
// Pattern syntax is described at ChaseLanguage in chase.h; docs/chases.md says how to add one.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "common/text.h"
#include "engine/chase.h"

namespace steadfast::engine {
namespace {

ChaseLanguage MakeEnglish() {
  ChaseLanguage en;
  en.code = "en";
  en.chase_phrases = {
      // Asking for news.
      "any update|updates|news|progress|movement|word|luck|joy|feedback|eta|developments",
      "any response|reply|answer|response|replies|responses",
      "update|updates|news|progress|eta|status|feedback|timeline|timeframe",
      "any idea|ideas|timeline|timeframe",
      "whats|what is? the latest|situation|story",
      "status update|updates|report",
      "update me|us",
      "give|send|provide me|us? a|an? update|status|news|eta|timeline",
      "whats|what is? happening|going|goin on?",
      "whats|what is? the holdup|hold-up|delay",
      "where are we|things at?",
      "where do|does things|this|it|we stand",
      "where things|we stand|are",
      // Waiting.
      "still waiting|awaiting|pending",
      "waiting|awaiting for|on|to? a|an|any|your? reply|response|answer|update|news|feedback",
      "waiting|awaiting|waited",
      "still no|nothing",
      "still no reply|response|answer|news|word|update|updates|feedback|contact|luck",
      "why? no reply|response|answer|news|word|update|updates|feedback|contact|acknowledgement "
      "yet?",
      "nothing yet|since|back",
      "nothing so far",
      "and nothing",
      "its|it has? been <time>",
      "heard nothing back?",
      "havent|hasnt|not|never|didnt|nobody|noone heard|had|received|got|gotten|get back? from? "
      "anyone|anybody|you? anything|any|a|an? reply|response|answer|news|word|update|feedback|"
      "back?",
      "nobody|noone has|have|had? replied|responded|answered|contacted|acknowledged|helped|got|"
      "gotten|called back?",
      "nobody|noone has|have? been in touch|contact",
      "no one|body has|have? replied|responded|answered|contacted|got back?",
      // Following up.
      "following|follow|followed up",
      "follow-up|follow-ups|followup|following-up",
      "checking|check in|back|on|up",
      "touching|touch base",
      "circling|circle back",
      "chasing|chase this|it? up",
      "bump|bumping|bumped|ping|pinging|nudge|nudging|reminder|poke",
      "re-sending|resending|resend|re-send|resent|re-sent",
      "sending|send this|it? again",
      "in case this|it|my? email|message? got|was|went lost|missed|unnoticed",
      "someone|anyone|somebody|anybody take|have a look",
      "writing|emailing|messaging|contacting|asking you? again",
      "writing|emailing|messaging|contacting|asking you? once more",
      "this is my second|third|fourth|fifth|2nd|3rd|4th|5th|nth|last email|message|time|attempt|"
      "request|reminder|follow-up",
      // Asking someone to answer.
      "reply|respond|answer please",
      "please|pls reply|respond|answer",
      "get|getting|got|come back to me|us",
      "respond|reply|answer to me|us|my|this|the? email|message|ticket|request|question|emails|"
      "messages?",
      "get|have|receive an|a|any|some reply|response|answer|update|feedback|news",
      "hear|hearing back|from",
      "when can|will|do|should|might|could? i|we can|will|should|could|might? expect|get|receive|"
      "hear|have a|an|any|my|the|our? reply|response|answer|update|news|back|fix|resolution|"
      "something|refund|replacement?",
      "when will|can|is|should|does this|it|my|the? issue|problem|ticket|case|request|refund|"
      "order? be|get? fixed|resolved|sorted|solved|done|ready|looked|processed|completed|handled|"
      "answered|dealt",
      "when this|it will|is going? to? be|get fixed|resolved|sorted|solved|done|looked|processed|"
      "completed|handled|answered",
      "is|has this|it|my issue|problem|ticket|case|request? been? fixed|resolved|sorted|solved "
      "yet?",
      "is|are anyone|anybody|someone|somebody|you|your? team|guys? even? looking|working|dealing "
      "at|on|into|with?",
      "is|are this|it being worked|looked|dealt on|at|into|with?",
      "anyone|anybody|someone|somebody there|home|out|around|reading|listening|alive|awake",
      "are|is you|anyone|anybody|someone there|here|around|awake|alive",
      "going to answer|reply|respond|help|look|contact",
      "you guys? even? reading|getting|receiving|seeing|checking|read|get these|my|our emails|"
      "messages|mails|email|message",
      "did|have you get|got|receive|received|see|seen|read my|our last|previous? email|message|"
      "mail|messages|emails|reply",
      "is this thing on",
      "had|have a chance to look|review|check",
      "why has|have|is|hasnt|havent nobody|noone|anyone|anybody|someone|you not? replied|"
      "responded|answered|got|gotten back?",
      "nobody|noone is|are answering|replying|responding|helping|reading|listening",
      "when someone|anyone|somebody|you will|can|might|would? get back|reply|respond|answer|be",
      "look into|at this|it",
      "kindly|please revert back?",
      "awaiting your? revert",
      "look|looking forward to hearing|your? from|back? you|reply|response|answer?",
      "second|third|fourth|fifth|2nd|3rd|4th|5th|final|last|another? chaser|reminder|follow-up",
      "has|is this|it|my ticket|case|request|issue|email? been? assigned|picked|seen|read|"
      "escalated",
      "taking so|this long|forever",
      "why is|does this|it? taking|take so|this long",
      "whats|what is? taking so|this long",
      "how long|much longer? will|do|does|is|am|should|must|have i|we? this|it? take|wait|been|"
      "taking",
      "have to wait",
      "acknowledge|confirm you? receipt|received|got|get? of? this|my? email|message|ticket?",
      "need|want|like|expect|appreciate|demand|get a|an? update|answer|reply|response|news|"
      "feedback|resolution|status|progress",
      "update|reply|response|answer|news would be appreciated|great|nice|helpful|welcome",
      "know the? status|progress",
      "whats|what is? the? status|timeline|timeframe|eta|plan|progress",
  };
  en.question_chases = {"hello",    "hi",     "hey",    "anyone",    "anybody", "someone",
                        "somebody", "guys",   "team",   "seriously", "when",    "well",
                        "so",       "please", "answer", "reply",     "response"};
  en.courtesy_phrases = {
      "thanks|thank you? so|very? much? in? advance|again?",
      "thanks|thank you? so|very? much? for your|the? quick|fast|prompt|speedy|kind? help|reply|"
      "response|time|patience|update|support|assistance|understanding|answer|attention",
      "thanks|thank you? for getting|coming back to me|us",
      "thanks|thank you? for checking|following|circling in|up|back",
      "many|much thanks|appreciated",
      "appreciate it|that|this|your help?",
      "i? hope you|all? are|is|youre doing? well|good|ok|fine|safe",
      "i? hope this email|message|note finds you well",
      "have a great|good|nice|lovely day|week|weekend|evening",
      "sorry|apologies to bother|bug|chase|pester|trouble you? again?",
      "sorry|apologies for|about the? multiple|many|repeated? emails|messages|chasing|bother|"
      "follow-up|delay",
      "please advise|help",
      "let me|us know",
      "please? keep me|us updated|posted|informed",
      "when|whenever you get|have a chance|moment|minute",
      "at your earliest convenience",
      "as soon as possible",
      "if possible",
      "no rush|hurry|pressure|worries",
      "bye|cheers",
      "if you can",
      "this is getting|becoming ridiculous|frustrating|silly|annoying|absurd|old",
      "this is ridiculous|unacceptable|frustrating|absurd",
      "what|this is? a joke",
      "not happy|good|ok|acceptable",
      "ok|okay|great|perfect|cool|sure|lovely|brilliant",
      "just? wanted|want|wanting|hoping|trying to?",
      "writing to",
      "i? was|am? just? wondering|hoping",
      "to? check|checking|see|ask|asking|know|find|enquire|inquire out? if|whether",
      "would|will? be? greatly|much|really|very? appreciated|great|helpful|nice|welcome|grateful",
      "getting|becoming|am|im|feeling really|very|so|quite? frustrated|annoyed|angry|upset|"
      "impatient|worried|concerned|desperate|fed",
      "we|i? really? need|want this|it|me? sorted|fixed|resolved|solved|done|looked|addressed|"
      "handled|answered at|to?",
      "tell|let me|us know?",
      "like|love to",
      "any chance",
      "check|see|ask|know|find|enquire|inquire out?",
      "please|pls",
      "at least",
      "a friendly|gentle|quick|polite|kind",
      "friendly|gentle|quick|polite",
  };
  en.recap_phrases = {
      "i|we raised|opened|logged|submitted|created|reported|sent|filed|emailed|wrote|called|"
      "contacted|asked|mailed|messaged this|the|my|our|a|an? ticket|request|email|message|issue|"
      "case|complaint|query|enquiry|question?",
      "i|we asked for|about",
      "i|we already? sent|provided|gave|emailed you|over? all? the|my|our? documents|information|"
      "details|info|files|photos|screenshots|logs",
      "you asked|requested for?",
      "you said|promised|told me? you? would|will|youd|youll",
      "you said|promised",
      "i|we have|had|ve? been told",
      "as i said|mentioned",
  };
  en.greetings = {"hi|hello|hey|hiya|heya|hallo|howdy|yo|greetings|dear",
                  "good morning|afternoon|evening|day", "morning|afternoon|evening"};
  en.addressees = {"team",    "there",    "all",      "guys",  "support", "everyone",
                   "folks",   "sir",      "madam",    "again", "you",     "customer",
                   "service", "services", "helpdesk", "desk",  "help",    "people",
                   "y'all",   "both",     "sirs",     "mam",   "ma'am"};
  en.sign_offs = {
      "thanks|thank you? so|very? much? in? advance|again?",
      "many|much thanks|appreciated",
      "kind|best|warm|warmest|many|with regards|wishes|thanks",
      "regards|best|cheers|sincerely|br|rgds|cordially|respectfully|ta|tia",
      "yours sincerely|faithfully|truly",
      "take care",
      "talk|speak soon",
      "all the best",
  };
  en.footers = {"sent from|via my?", "get outlook for", "download outlook for", "sent with|using",
                "this email was sent from"};
  en.disclaimers = {
      "confidentiality notice|notice|statement|note|disclaimer",
      "disclaimer",
      "this email|e-mail|message|communication and any attachments|files",
      "this email|e-mail|message|communication is|may be confidential|privileged|intended",
      "the information contained|transmitted in this",
      "if you are|have not? the intended|received",
      "please consider the environment",
  };
  en.postscripts = {"ps|pps|p.s|p.p.s"};
  en.filler_words = {
      "i",           "me",         "my",           "mine",
      "myself",      "we",         "us",           "our",
      "ours",        "you",        "your",         "yours",
      "it",          "its",        "this",         "that",
      "these",       "those",      "there",        "here",
      "a",           "an",         "the",          "any",
      "some",        "all",        "every",        "each",
      "is",          "are",        "am",           "was",
      "were",        "be",         "been",         "being",
      "has",         "have",       "had",          "do",
      "does",        "did",        "got",          "can",
      "could",       "would",      "will",         "shall",
      "should",      "may",        "might",        "must",
      "im",          "ive",        "id",           "ill",
      "weve",        "youre",      "youve",        "thats",
      "theres",      "isnt",       "arent",        "wasnt",
      "dont",        "doesnt",     "didnt",        "havent",
      "hasnt",       "wont",       "cant",         "couldnt",
      "wouldnt",     "just",       "still",        "yet",
      "now",         "again",      "already",      "even",
      "really",      "very",       "so",           "too",
      "also",        "only",       "please",       "kindly",
      "once",        "further",    "soon",         "asap",
      "urgently",    "urgent",     "quickly",      "and",
      "or",          "but",        "because",      "as",
      "if",          "whether",    "though",       "then",
      "not",         "on",         "about",        "regarding",
      "re",          "for",        "of",           "with",
      "in",          "from",       "at",           "by",
      "to",          "into",       "up",           "ticket",
      "tickets",     "case",       "request",      "requests",
      "issue",       "issues",     "problem",      "problems",
      "query",       "enquiry",    "inquiry",      "matter",
      "email",       "emails",     "e-mail",       "mail",
      "message",     "messages",   "note",         "thread",
      "one",         "above",      "below",        "previous",
      "last",        "earlier",    "original",     "prior",
      "reply",       "replies",    "response",     "responses",
      "answer",      "answers",    "someone",      "somebody",
      "anyone",      "anybody",    "everyone",     "nobody",
      "guys",        "team",       "folks",        "seriously",
      "honestly",    "literally",  "ridiculous",   "unacceptable",
      "frustrating", "frustrated", "disappointed", "disappointing",
      "annoyed",     "upset",      "angry",        "important",
      "ok",          "okay",       "oh",           "well",
      "hmm",         "um",         "sir",          "madam",
      "least",       "pls",        "kind",         "regards",
      "else",        "typical",    "unbelievable", "shocking",
      "pathetic",    "appalling",  "terrible",     "awful",
      "useless",     "x",          "xx",           "xxx",
      "greatly",     "gonna",      "going",        "ps",
      "hey",         "hi",         "hello",        "sorry",
      "possible",    "since",      "complaint",    "complaints",
      "youd",        "youll",      "weve",         "theyve",
      "whats",
  };
  en.name_connectors = {"of", "and", "the", "for", "at",  "de", "van", "von", "der",
                        "da", "di",  "le",  "la",  "del", "y",  "mc",  "&"};
  en.topic_prepositions = {"on",   "about", "regarding",  "re",  "for",
                           "with", "of",    "concerning", "from"};
  en.topic_stops = {"when",    "whether", "if",     "why",   "how",   "what",  "which",  "who",
                    "because", "as",      "before", "after", "until", "but",   "and",    "also",
                    "or",      "so",      "then",   "to",    "will",  "would", "can",    "could",
                    "should",  "is",      "are",    "was",   "were",  "has",   "have",   "had",
                    "do",      "does",    "did",    "i",     "we",    "you",   "he",     "she",
                    "they",    "im",      "ive",    "its",   "not",   "no",    "without"};
  en.reference_nouns = {"ticket",  "case",  "request",   "incident", "enquiry",
                        "inquiry", "query", "complaint", "ref",      "reference"};
  en.reference_markers = {"number", "no", "nr", "num", "id", "ref", "reference"};
  en.time_quantities = {"a",       "an",       "one",     "two",     "three",  "four",    "five",
                        "six",     "seven",    "eight",   "nine",    "ten",    "eleven",  "twelve",
                        "fifteen", "twenty",   "thirty",  "few",     "couple", "several", "many",
                        "over",    "more",     "than",    "another", "almost", "nearly",  "about",
                        "around",  "all",      "last",    "this",    "past",   "whole",   "entire",
                        "full",    "business", "working", "of",      "half",   "since",   "on",
                        "from",    "the",      "since",   "early",   "late",   "until",   "till"};
  en.time_units = {"second", "seconds", "sec",   "secs", "minute",    "minutes", "min",
                   "mins",   "hour",    "hours", "hr",   "hrs",       "h",       "day",
                   "days",   "week",    "weeks", "wk",   "wks",       "month",   "months",
                   "year",   "years",   "am",    "pm",   "fortnight", "weekend", "weekends"};
  en.time_words = {"today",    "yesterday", "tonight",  "tomorrow",  "morning",   "afternoon",
                   "evening",  "night",     "ago",      "while",     "ages",      "forever",
                   "lately",   "recently",  "monday",   "tuesday",   "wednesday", "thursday",
                   "friday",   "saturday",  "sunday",   "mon",       "tue",       "tues",
                   "wed",      "thu",       "thur",     "thurs",     "fri",       "sat",
                   "sun",      "january",   "february", "march",     "april",     "may",
                   "june",     "july",      "august",   "september", "october",   "november",
                   "december", "jan",       "feb",      "mar",       "apr",       "jun",
                   "jul",      "aug",       "sep",      "sept",      "oct",       "nov",
                   "dec",      "eod",       "cob",      "mondays",   "fridays"};
  en.spellings = {
      {"pls", "please"},
      {"plz", "please"},
      {"plse", "please"},
      {"pleae", "please"},
      {"plase", "please"},
      {"pease", "please"},
      {"thx", "thanks"},
      {"thnx", "thanks"},
      {"thanx", "thanks"},
      {"thks", "thanks"},
      {"tx", "thanks"},
      {"ty", "thanks"},
      {"thankyou", "thanks"},
      {"thnks", "thanks"},
      {"u", "you"},
      {"ya", "you"},
      {"ur", "your"},
      {"r", "are"},
      {"updte", "update"},
      {"upate", "update"},
      {"udpate", "update"},
      {"updat", "update"},
      {"updaet", "update"},
      {"upadte", "update"},
      {"updtes", "updates"},
      {"upates", "updates"},
      {"stil", "still"},
      {"responce", "response"},
      {"respone", "response"},
      {"repsonse", "response"},
      {"recieved", "received"},
      {"recived", "received"},
      {"recieve", "receive"},
      {"folowing", "following"},
      {"foloowing", "following"},
      {"follwing", "following"},
      {"followin", "following"},
      {"folow", "follow"},
      {"wating", "waiting"},
      {"waitng", "waiting"},
      {"witing", "waiting"},
      {"waitin", "waiting"},
      {"helloo", "hello"},
      {"hellow", "hello"},
      {"heloo", "hello"},
      {"helo", "hello"},
      {"hii", "hi"},
      {"heyy", "hey"},
      {"teh", "the"},
      {"abt", "about"},
      {"msg", "message"},
      {"cud", "could"},
      {"wud", "would"},
      {"anyupdate", "update"},
      {"eta's", "eta"},
      {"noone", "noone"},
      {"no-one", "noone"},
      {"nobodys", "nobody"},
      {"yall", "y'all"},
      {"ppl", "people"},
      {"hows", "how"},
      {"wats", "whats"},
      {"wat", "what"},
      {"progess", "progress"},
      {"progres", "progress"},
      {"anny", "any"},
      {"ani", "any"},
      {"emial", "email"},
      {"emal", "email"},
  };
  return en;
}

// A small Spanish table: enough to prove that a language is data, and to catch the common
// chases ("¿alguna novedad?", "sigo esperando").
ChaseLanguage MakeSpanish() {
  ChaseLanguage es;
  es.code = "es";
  es.chase_phrases = {
      "alguna|algun|hay novedad|novedades|noticia|noticias|actualización|respuesta|avance|"
      "avances",
      "novedades|noticias|actualización|avances",
      "sigo|seguimos|sigue|estoy|estamos todavía|aún? esperando",
      "todavía|aún espero|esperamos|esperando|nada",
      "sin respuesta|noticias|novedades",
      "nadie me|nos? ha|han? respondido|contestado|escrito|llamado",
      "no he|hemos recibido|tenido ninguna|una|ningún|ninguna? respuesta|noticias|novedades|nada",
      "cómo|como va|van|está|están mi|el|la|mis? caso|solicitud|pedido|consulta|incidencia|"
      "reclamación|tema",
      "me|nos pueden|podrían|puede|podría dar|decir|enviar una|alguna? respuesta|actualización|"
      "novedad",
      "hago|hacemos seguimiento",
      "les|le? escribo|escribimos de nuevo",
      "les|le? escribo|escribimos otra vez",
      "cuándo|cuando me|nos? responderán|contestarán|responden|contestan|solucionarán",
      "cuándo|cuando me|nos|lo|la? van a responder|contestar|solucionar|arreglar",
      "hay alguien ahí",
  };
  es.question_chases = {"hola", "alguien", "holaa"};
  es.courtesy_phrases = {
      "muchas? gracias de? antemano?",
      "un? saludo|saludos",
      "atentamente|cordialmente",
      "espero que estén|esté|estés bien",
      "por favor",
      "quedo|quedamos atento|atenta|atentos a? su|vuestra|tu? respuesta?",
      "lo antes posible",
  };
  es.recap_phrases = {"les|le escribí|envié|mandé un? correo|mensaje?"};
  es.greetings = {"hola|buenas|estimado|estimada|estimados|estimadas", "buenos días",
                  "buenas tardes|noches"};
  es.addressees = {"equipo", "a", "todos", "soporte", "señor", "señora", "señores"};
  es.sign_offs = {"muchas? gracias de? antemano?", "un? saludo|saludos|abrazo",
                  "atentamente|cordialmente"};
  es.footers = {"enviado desde mi?"};
  es.disclaimers = {"aviso de confidencialidad|legal", "este mensaje|correo y sus? anexos|adjuntos",
                    "la información contenida en este"};
  es.postscripts = {"pd|p.d"};
  es.filler_words = {
      "el",      "la",        "los",    "las",       "un",       "una",        "mi",     "mis",
      "de",      "del",       "en",     "con",       "por",      "sobre",      "me",     "nos",
      "le",      "les",       "se",     "ya",        "todavía",  "aún",        "esto",   "este",
      "esta",    "eso",       "caso",   "solicitud", "consulta", "incidencia", "ticket", "correo",
      "mensaje", "respuesta", "tema",   "favor",     "que",      "y",          "o",      "pero",
      "es",      "está",      "hay",    "al",        "lo",       "su",         "sus",    "a",
      "mi",      "nada",      "hoy",    "aquí",      "ahí",      "alguien",    "para",   "anterior",
      "último",  "urgente",   "gracias"};
  es.name_connectors = {"de", "del", "la", "y"};
  es.topic_prepositions = {"sobre", "de", "del", "con", "en", "para"};
  es.topic_stops = {"que", "cuando", "si", "porque", "y", "pero", "también", "ya"};
  es.reference_nouns = {"ticket", "caso", "solicitud", "incidencia", "consulta", "referencia"};
  es.reference_markers = {"número", "numero", "nº", "n", "no"};
  es.time_quantities = {"un",  "una", "dos",  "tres",  "cuatro", "cinco", "varios", "varias",
                        "más", "de",  "hace", "desde", "el",     "la",    "pasado", "pasada"};
  es.time_units = {"día", "días", "semana", "semanas", "mes", "meses", "hora", "horas"};
  es.time_words = {"ayer",    "hoy",    "lunes",   "martes", "miércoles", "jueves",
                   "viernes", "sábado", "domingo", "mañana", "tarde"};
  es.spellings = {{"actualizacion", "actualización"},
                  {"todavia", "todavía"},
                  {"aun", "aún"},
                  {"dias", "días"},
                  {"dia", "día"},
                  {"ningun", "ningún"},
                  {"tambien", "también"},
                  {"numero", "número"},
                  {"reclamacion", "reclamación"},
                  {"miercoles", "miércoles"},
                  {"sabado", "sábado"},
                  {"ultimo", "último"}};
  return es;
}

const std::vector<ChaseDetector>& BuiltInDetectors() {
  static const auto* const detectors = [] {
    auto* built = new std::vector<ChaseDetector>();
    built->emplace_back(EnglishChaseRules());
    built->emplace_back(SpanishChaseRules());
    return built;
  }();
  return *detectors;
}

}  // namespace

const ChaseLanguage& EnglishChaseRules() {
  static const auto* const rules = new ChaseLanguage(MakeEnglish());
  return *rules;
}

const ChaseLanguage& SpanishChaseRules() {
  static const auto* const rules = new ChaseLanguage(MakeSpanish());
  return *rules;
}

ChaseVerdict DetectChase(std::string_view fresh_text, std::string_view language) {
  std::string code = AsciiLower(language.substr(0, language.find_first_of("-_")));
  if (code.empty()) {
    code = "en";
  }
  for (const ChaseDetector& detector : BuiltInDetectors()) {
    if (detector.language() == code) {
      return detector.Detect(fresh_text);
    }
  }
  ChaseVerdict verdict;
  verdict.explanation = "Not a chase: no chase rules for language '" +
                        (IsValidUtf8(code) && code.size() <= 16 ? code : "?") + "'.";
  return verdict;
}

std::vector<std::string> ChaseLanguages() {
  std::vector<std::string> codes;
  for (const ChaseDetector& detector : BuiltInDetectors()) {
    codes.push_back(detector.language());
  }
  return codes;
}

}  // namespace steadfast::engine
