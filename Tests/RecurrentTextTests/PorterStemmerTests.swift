import XCTest

@testable import RecurrentText

final class PorterStemmerTests: XCTestCase {
  /// Martin Porter's full test vocabulary (23,531 words) against the expected outputs NLTK ships
  /// for each mode (fixture: Tools/make_text_fixtures.py porter, checked against NLTK there).
  func testOfficialVocabularyAllModes() throws {
    let reader = try LineReader(path: Fixtures.path("norm_porter_vocabulary.tsv.gz"))
    XCTAssertEqual(try reader.next(), "word\toriginal\tmartin\tnltk")
    let stemmers = [PorterStemmer(mode: .original), PorterStemmer(mode: .martin), PorterStemmer()]
    var rows = 0
    var mismatches = [0, 0, 0]
    var examples: [String] = []
    while let line = try reader.next() {
      let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      XCTAssertEqual(f.count, 4)
      rows += 1
      for m in 0..<3 {
        let got = stemmers[m].stem(f[0])
        if got != f[m + 1] {
          mismatches[m] += 1
          if examples.count < 10 {
            examples.append("\(stemmers[m].mode) \(f[0]) → \(got), want \(f[m + 1])")
          }
        }
      }
    }
    XCTAssertEqual(rows, 23531)
    XCTAssertEqual(mismatches, [0, 0, 0], examples.joined(separator: "\n"))
  }

  func testModesDifferWhereNLTKDocumentsIt() {
    XCTAssertEqual(PorterStemmer().stem("dying"), "die")  // NLTK irregular form
    XCTAssertEqual(PorterStemmer(mode: .martin).stem("dying"), "dy")
    XCTAssertEqual(PorterStemmer().stem("enjoy"), "enjoy")  // y → i only after a consonant
    XCTAssertEqual(PorterStemmer(mode: .martin).stem("enjoy"), "enjoi")
    XCTAssertEqual(PorterStemmer().stem("Running"), "run")  // lowercased first
  }
}
