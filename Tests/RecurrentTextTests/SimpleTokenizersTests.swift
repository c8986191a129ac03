import Foundation
import XCTest

@testable import RecurrentText

final class SimpleTokenizersTests: XCTestCase {
  /// NLTK wordpunct_tokenize, str.split and scikit-learn's word / char / char_wb analyzers on
  /// 150 real sentences (Tools/make_text_fixtures.py ngrams).
  func testAgainstNLTKAndScikitLearn() throws {
    let reader = try LineReader(path: Fixtures.path("norm_ngrams_golden.jsonl.gz"))
    let regex = try RegexTokenizer()
    var rows = 0
    while let line = try reader.next() {
      let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
      let text = row["text"] as! String
      XCTAssertEqual(regex.tokenize(text), row["wordpunct"] as! [String], text)
      let split = WhitespaceTokenizer().tokenize(text)
      XCTAssertEqual(split, row["split"] as! [String], text)
      XCTAssertEqual(NGrams.words(split, range: 1...3), row["word_1_3"] as! [String], text)
      XCTAssertEqual(NGrams.characters(text, range: 1...3), row["char_1_3"] as! [String], text)
      XCTAssertEqual(
        NGrams.charactersWithinWords(text, range: 2...4), row["char_wb_2_4"] as! [String], text)
      rows += 1
    }
    XCTAssertEqual(rows, 149)
  }

  func testCharactersGraphemesGapsAndTuples() throws {
    XCTAssertEqual(CharacterTokenizer().tokenize("e\u{301}!"), ["e", "\u{301}", "!"])
    XCTAssertEqual(GraphemeTokenizer().tokenize("e\u{301}👍🏽!"), ["e\u{301}", "👍🏽", "!"])
    XCTAssertEqual(
      try RegexTokenizer(pattern: "\\s*,\\s*", gaps: true).tokenize("a, b ,c"), ["a", "b", "c"])
    XCTAssertThrowsError(try RegexTokenizer(pattern: "(unclosed"))
    XCTAssertEqual(NGrams.tuples(["a", "b", "c"], n: 2), [["a", "b"], ["b", "c"]])
    XCTAssertEqual(NGrams.tuples(["a"], n: 2), [])
    XCTAssertEqual(NGrams.charactersWithinWords("a", range: 3...4), [" a "])
  }

  /// Hand-checked splits of real Gutenberg paragraphs (lm-gutenberg valid) and crafted cases.
  func testSentenceSplitter() {
    let s = SentenceSplitter()
    XCTAssertEqual(
      s.split("Mr. Smith paid $3.50. He left! Did he? Yes."),
      ["Mr. Smith paid $3.50.", "He left!", "Did he?", "Yes."])
    XCTAssertEqual(
      s.split(
        "J. R. R. Tolkien wrote it in 1937, e.g. before the war. It sold well... Later, more."),
      [
        "J. R. R. Tolkien wrote it in 1937, e.g. before the war.", "It sold well...",
        "Later, more.",
      ])
    XCTAssertEqual(
      s.split("\"Stop!\" he cried. \"Now?\" She nodded (slowly.) Then they left."),
      ["\"Stop!\" he cried.", "\"Now?\"", "She nodded (slowly.)", "Then they left."])
    XCTAssertEqual(
      s.split(
        "After a lapse of four minutes the glimmer of his candle was discernible through the "
          + "semitransparent semicircular glass fanlight over the halldoor. The halldoor turned "
          + "gradually on its hinges. In the open space of the doorway the man reappeared without "
          + "his hat, with his candle."
      ).count, 3)
    XCTAssertEqual(
      s.split(
        "Gossip ran in advance of him; but as he came by, the talk fell away until he had passed. "
          + "Then they looked after him, and their words again rose audibly. Thus everywhere a "
          + "little eddy of silence accompanied his steps."),
      [
        "Gossip ran in advance of him; but as he came by, the talk fell away until he had passed.",
        "Then they looked after him, and their words again rose audibly.",
        "Thus everywhere a little eddy of silence accompanied his steps.",
      ])
    XCTAssertEqual(
      s.split(
        "\"It taught me to hope,\" said he, \"as I had scarcely ever allowed myself.\" I knew."),
      ["\"It taught me to hope,\" said he, \"as I had scarcely ever allowed myself.\"", "I knew."])
    XCTAssertEqual(s.split("  "), [])
    XCTAssertEqual(s.split("pi is 3.14159 and e is 2.718."), ["pi is 3.14159 and e is 2.718."])
  }
}
