import XCTest

@testable import RecurrentText

final class LexiconTests: XCTestCase {
  /// Loaded once: reading the 155k-lemma list takes seconds in a debug build.
  static let shared = Result { try WordNetLemmatizer() }

  /// 3,829 (word, POS) pairs from UD English-EWT and the exception lists, with the output of
  /// NLTK's WordNetLemmatizer run over the same WordNet files (Tools/make_text_fixtures.py).
  func testLemmatizerAgreesWithNLTK() throws {
    let lemmatizer = try Self.shared.get()
    let reader = try LineReader(path: Fixtures.path("norm_lemmatize_nltk.tsv"))
    XCTAssertEqual(try reader.next(), "word\tpos\tlemma")
    var total = 0
    var agree = 0
    var changed = 0
    var failures: [String] = []
    while let line = try reader.next() {
      let f = line.split(separator: "\t").map(String.init)
      let pos = try XCTUnwrap(WordNetLemmatizer.POS(rawValue: f[1]))
      let got = lemmatizer.lemmatize(f[0], pos: pos)
      total += 1
      if f[2] != f[0] { changed += 1 }
      if got == f[2] {
        agree += 1
      } else if failures.count < 10 {
        failures.append("\(f[0])/\(f[1]) → \(got), NLTK \(f[2])")
      }
    }
    print("WordNet lemmatizer agreement with NLTK: \(agree)/\(total)")
    XCTAssertGreaterThan(total, 2000)
    XCTAssertGreaterThan(changed, 1000)  // the set exercises real rules, not identities
    XCTAssertEqual(agree, total, failures.joined(separator: "\n"))
  }

  func testLemmatizerExamplesFromNLTKDocs() throws {
    let l = try Self.shared.get()
    XCTAssertEqual(l.lemmatize("dogs"), "dog")
    XCTAssertEqual(l.lemmatize("churches"), "church")
    XCTAssertEqual(l.lemmatize("aardwolves"), "aardwolf")
    XCTAssertEqual(l.lemmatize("abaci"), "abacus")
    XCTAssertEqual(l.lemmatize("hardrock"), "hardrock")
    XCTAssertEqual(l.candidates("us", pos: .noun), ["us", "u"])
    XCTAssertEqual(l.lemmatize("went", pos: .verb), "go")
    XCTAssertEqual(l.lemmatize("better", pos: .adjective), "good")
  }

  func testStopWords() throws {
    let english = try StopWords.english()
    XCTAssertEqual(english.words.count, 179)
    XCTAssertTrue(english.contains("don't") && english.contains("ll") && english.contains("the"))
    XCTAssertEqual(english.filter(["the", "cat", "sat", "on", "a", "mat"]), ["cat", "sat", "mat"])
    for language in StopWords.languages {
      XCTAssertFalse(try StopWords(language: language).words.isEmpty, language)
    }
    XCTAssertTrue(try StopWords(language: "french").contains("le"))
    XCTAssertThrowsError(try StopWords(language: "klingon")) {
      XCTAssertTrue("\($0)".contains("english"))
    }
    var custom = StopWords(["foo"]).union(english)
    custom.remove("the")
    XCTAssertTrue(custom.contains("foo") && !custom.contains("the"))
  }

  /// The shipped English list is the shared data file, byte for byte.
  func testShippedEnglishListMatchesSharedData() throws {
    let shared = try Fixtures.sharedData("preprocessing/stopwords/english")
    XCTAssertEqual(try StopWords(path: shared), try StopWords.english())
  }
}
