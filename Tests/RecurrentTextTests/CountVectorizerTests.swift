import XCTest

@testable import RecurrentText

/// The scikit-learn analyzer on Unicode corner cases, plus properties of CountVectorizer that the
/// golden matrices do not show directly.
final class CountVectorizerTests: XCTestCase {
  struct AnalyzerCase: Decodable {
    var text: String
    var lower: String
    var lowercase: [String]
    var bigramsNoLower: [String]
  }

  struct Fixture: Decodable {
    var analyzer: [AnalyzerCase]
  }

  func testAnalyzerMatchesScikitLearnOnUnicode() throws {
    let f = try VectorizationFixtures.decode(Fixture.self, "vec_sklearn_small.json")
    XCTAssertGreaterThan(f.analyzer.count, 10)
    let lower = CountVectorizer()
    let raw = CountVectorizer(ngramRange: 1...3, lowercase: false)
    for c in f.analyzer {
      XCTAssertEqual(lower.analyze(c.text), c.lowercase, c.text.debugDescription)
      XCTAssertEqual(
        Array(pythonLowercased(c.text).unicodeScalars), Array(c.lower.unicodeScalars),
        "str.lower() of \(c.text.debugDescription)")
      XCTAssertEqual(raw.analyze(c.text), c.bigramsNoLower, c.text.debugDescription)
      // The byte-level path used by fit/transform must agree with analyze(_:).
      var scratch: [UInt8] = []
      var tokens: [String] = []
      WordPatternTokenizer(lowercase: true).forEachToken(in: c.text, scratch: &scratch) {
        tokens.append(String(decoding: $0, as: UTF8.self))
      }
      XCTAssertEqual(tokens, c.lowercase, c.text.debugDescription)
    }
  }

  func testColumnsAreAlphabeticalAndDeterministic() throws {
    let docs = ["bb aa cc aa", "cc bb", "", "zz yy xx aa bb", "b a c a"]
    var v1 = CountVectorizer(ngramRange: 1...2)
    var v2 = v1
    let m1 = try v1.fitTransform(docs)
    let m2 = try v2.fitTransform(docs)
    XCTAssertEqual(m1, m2)
    XCTAssertEqual(v1.getFeatureNamesOut(), v2.getFeatureNamesOut())
    XCTAssertEqual(v1.getFeatureNamesOut(), v1.getFeatureNamesOut().sorted())
    for r in 0..<m1.rows {
      let columns = m1.row(r).map(\.column)
      XCTAssertEqual(columns, columns.sorted())
    }
    // Single letters are not tokens (the pattern needs two word characters).
    var v3 = CountVectorizer()
    XCTAssertThrowsError(try v3.fitTransform(["b a c", "d"])) { error in
      XCTAssertEqual(error as? VectorizationError, .emptyVocabulary)
    }
  }

  func testTransformBeforeFitThrowsAndEmptyDocumentsGiveEmptyRows() throws {
    XCTAssertThrowsError(try CountVectorizer().transform(["some text"]))
    var v = CountVectorizer()
    let m = try v.fitTransform(["good film", "", "bad film"])
    XCTAssertEqual(m.rows, 3)
    XCTAssertEqual(m.row(1).count, 0)
    let t = try v.transform(["", "unseen words only"])
    XCTAssertEqual(t.rowPointers, [0, 0, 0])
    XCTAssertEqual(v.vocabulary["film"], 1)
  }

  func testInvalidArgumentsThrow() {
    var v = CountVectorizer(ngramRange: 0...1)
    XCTAssertThrowsError(try v.fit(["a b"]))
    v = CountVectorizer(minDf: .proportion(1.5))
    XCTAssertThrowsError(try v.fit(["aa bb"]))
    v = CountVectorizer(maxFeatures: 0)
    XCTAssertThrowsError(try v.fit(["aa bb"]))
  }

  func testMaxFeaturesTiesKeepAlphabeticalFirst() throws {
    // "aa" 3 times; "bb", "cc", "dd" twice each: keeping 3 cuts inside the tie at 2.
    var v = CountVectorizer(maxFeatures: 3)
    _ = try v.fitTransform(["dd aa cc", "bb aa dd", "cc bb aa"])
    XCTAssertEqual(v.getFeatureNamesOut(), ["aa", "bb", "cc"])
  }
}
