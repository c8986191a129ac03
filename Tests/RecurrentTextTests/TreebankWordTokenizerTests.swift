import Foundation
import XCTest

@testable import RecurrentText

final class TreebankWordTokenizerTests: XCTestCase {
  func testNLTKDocExamples() {
    let tok = TreebankWordTokenizer()
    XCTAssertEqual(
      tok.tokenize(
        "Good muffins cost $3.88 (roughly 3,36 euros)\nin New York.  Please buy me\ntwo of them.\nThanks."
      ),
      [
        "Good", "muffins", "cost", "$", "3.88", "(", "roughly", "3,36", "euros", ")", "in", "New",
        "York.", "Please", "buy", "me", "two", "of", "them.", "Thanks", ".",
      ])
    XCTAssertEqual(
      tok.tokenize("They'll say \"don't\", won't they?"),
      ["They", "'ll", "say", "``", "do", "n't", "''", ",", "wo", "n't", "they", "?"])
    XCTAssertEqual(
      TreebankWordTokenizer(convertParentheses: true).tokenize("(roughly)"),
      ["-LRB-", "roughly", "-RRB-"])
    // Outputs below were printed by NLTK 3.10.4's NLTKWordTokenizer.
    XCTAssertEqual(
      tok.tokenize("I cannot gonna 'tis"), ["I", "can", "not", "gon", "na", "'", "tis"])
    XCTAssertEqual(tok.tokenize("whaddya wanna do?"), ["whaddya", "wan", "na", "do", "?"])
    XCTAssertEqual(tok.tokenize("He said: \"hi\"."), ["He", "said", ":", "``", "hi", "''", "."])
  }

  /// NLTK's tokens for ~4,000 real sentences (Tools/make_text_fixtures.py tokenize).
  func testAgreementWithNLTKOnRealSentences() throws {
    let reader = try LineReader(path: Fixtures.path("norm_tokenize_nltk.jsonl.gz"))
    let tok = TreebankWordTokenizer()
    var total = 0
    var agree = 0
    var failures: [String] = []
    while let line = try reader.next() {
      let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
      let text = row["text"] as! String
      let want = row["tokens"] as! [String]
      let got = tok.tokenize(text)
      total += 1
      if got == want {
        agree += 1
      } else if failures.count < 5 {
        failures.append("\(text)\n  got  \(got)\n  want \(want)")
      }
    }
    let rate = Double(agree) / Double(total)
    print("Treebank tokenizer agreement with NLTK: \(agree)/\(total) = \(rate)")
    XCTAssertGreaterThan(total, 3900)
    XCTAssertEqual(agree, total, failures.joined(separator: "\n"))
  }
}
