import Foundation
import XCTest

@testable import RecurrentText

final class TextNormalizerTests: XCTestCase {
  /// Each step that has a Python reference against it (Tools/make_text_fixtures.py normalize):
  /// unicodedata.normalize, str.lower, scikit-learn strip_accents_unicode, Keras's filter
  /// translation, category-P removal, " ".join(split()), html.unescape.
  func testStepsMatchPythonReferences() throws {
    let golden = try Fixtures.json("norm_normalize_golden.json") as! [String: Any]
    let rows = golden["rows"] as! [[String: Any]]
    let steps: [(String, TextNormalizer.Step)] = [
      ("nfc", .unicode(.nfc)), ("nfd", .unicode(.nfd)), ("nfkc", .unicode(.nfkc)),
      ("nfkd", .unicode(.nfkd)), ("lower", .lowercase), ("strip_accents", .stripAccents),
      ("keras_filters", .removeCharacters(TextNormalizer.kerasFilters, replacement: " ")),
      ("no_punct", .removePunctuation()), ("collapse", .collapseWhitespace),
      ("unescape", .decodeHTMLEntities),
    ]
    var checked = 0
    for row in rows {
      let text = row["text"] as! String
      for (key, step) in steps {
        guard let want = row[key] as? String else { continue }
        let got = TextNormalizer([step])(text)
        XCTAssertEqual(
          Array(got.unicodeScalars), Array(want.unicodeScalars),
          "\(key) of \(text.debugDescription)")
        checked += 1
      }
    }
    XCTAssertGreaterThan(checked, 800)
  }

  func testStepsComposeInOrder() {
    let n = TextNormalizer([
      .stripHTML, .replaceURLs(with: "<url>"), .unicode(.nfkc), .lowercase, .stripAccents,
      .numbers(.replace(with: "<num>")), .removePunctuation(keep: "'<>"), .collapseWhitespace,
    ])
    XCTAssertEqual(n("<p>Café costs 3.50 at https://x.org!</p>"), "cafe costs <num> at <url>")
    XCTAssertEqual(n("ﬁne"), "fine")
    // Order matters: lowercasing after the URL step keeps the token; punctuation first would
    // break the URL apart.
    let reversed = TextNormalizer([.removePunctuation(), .replaceURLs(with: "<url>")])
    XCTAssertEqual(reversed("see https://x.org"), "see httpsxorg")
  }

  func testHTMLTagsAndEntities() {
    let n = TextNormalizer([.stripHTML])
    XCTAssertEqual(n("a<br>b<b>old</b> &amp; c"), "a bold & c")
    XCTAssertEqual(n("x<script>var a = '<p>';</script>y<!-- note -->z"), "xyz")
    XCTAssertEqual(n("1 < 2 and 3 > 2"), "1 < 2 and 3 > 2")
    XCTAssertEqual(n("&eacute;t&eacute; &#8364;5 &#x263A;"), "été €5 ☺")
  }

  func testURLsEmailsMentionsHashtags() {
    let n = TextNormalizer([
      .replaceURLs(with: "<url>"), .replaceEmails(with: "<email>"),
      .replaceMentions(with: "<user>"),
      .replaceHashtags(with: "<tag>"),
    ])
    XCTAssertEqual(
      n(
        "Mail jo.doe+x@mail.example.com or see (https://en.wikipedia.org/wiki/Foo_(bar)), www.a.io."
      ),
      "Mail <email> or see (<url>), <url>.")
    XCTAssertEqual(n("@alice: loved it #NLP #1 a@b"), "<user>: loved it <tag> #1 a@b")
    XCTAssertEqual(n("not an email: user@localhost"), "not an email: user@localhost")
  }

  func testNumbers() {
    let replace = TextNormalizer([.numbers(.replace(with: "<num>"))])
    XCTAssertEqual(
      replace("3,000.50 and -2 but a-3 and mp3"), "<num> and <num> but a-<num> and mp<num>")
    XCTAssertEqual(TextNormalizer([.numbers(.remove)])("in 1984."), "in .")
  }

  func testEmoji() {
    let named = TextNormalizer([.emoji(.replaceWithName)])
    XCTAssertEqual(named("ok 😀!"), "ok :grinning_face:!")
    XCTAssertEqual(named("👍🏽"), ":thumbs_up_sign:")
    XCTAssertEqual(named("🇫🇷"), ":flag_fr:")
    XCTAssertEqual(named("👨‍💻"), ":man_personal_computer:")
    XCTAssertEqual(named("digits 1 # stay"), "digits 1 # stay")
    XCTAssertEqual(TextNormalizer([.emoji(.remove)])("a😀b❤️c"), "abc")
  }

  func testLowercaseIsLocaleIndependent() {
    XCTAssertEqual(TextNormalizer([.lowercase])("TITLE İ"), "title i\u{307}")
  }
}
