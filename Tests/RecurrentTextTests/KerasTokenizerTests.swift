import XCTest

@testable import RecurrentText

/// Golden tests against Keras's legacy Tokenizer (keras.src.legacy.preprocessing.text, Keras 3.15;
/// fixture from Tools/make_vectorizer_fixtures.py keras).
final class KerasTokenizerTests: XCTestCase {
  struct Options: Decodable {
    var numWords: Int?
    var filters: String?
    var lower: Bool?
    var split: String?
    var charLevel: Bool?
    var oovToken: String?

    func make() -> KerasTokenizer {
      KerasTokenizer(
        numWords: numWords, filters: filters ?? KerasTokenizer.defaultFilters,
        lower: lower ?? true, split: split ?? " ", charLevel: charLevel ?? false,
        oovToken: oovToken)
    }
  }

  struct Matrix: Decodable {
    var shape: [Int]
    var entries: [[Double]]
  }

  /// `[word, number]` pairs.
  struct Pair: Decodable {
    var word: String
    var number: Int
    init(from decoder: Decoder) throws {
      var c = try decoder.unkeyedContainer()
      word = try c.decode(String.self)
      number = try c.decode(Int.self)
    }
  }

  struct Case: Decodable {
    var name: String
    var options: Options
    var wordIndex: [Pair]
    var wordCounts: [Pair]
    var wordDocs: [Pair]
    var documentCount: Int
    var sequences: [[Int]]
    var probe: [[Int]]
    var probeTexts: [String]
    var matrices: [String: Matrix]
  }

  struct RT: Decodable {
    var documents: Int
    var vocabularySize: Int
    var firstWords: [String]
    var wordsHash: String
    var totalCount: Int
    var sampleIndices: [Int]
    var sequences: [[Int]]
    var oovSequences: [[Int]]
    var tfidfRows: [[[Double]]]
  }

  struct Fixture: Decodable {
    var texts: [String]
    var heldOut: [String]
    var cases: [Case]
    var rtPolarity: RT?
  }

  func testSmallCorpusMatchesKeras() throws {
    let f = try VectorizationFixtures.decode(Fixture.self, "vec_keras_tokenizer.json")
    XCTAssertEqual(f.cases.count, 7)
    for c in f.cases {
      var t = c.options.make()
      t.fitOnTexts(f.texts)
      let byIndex = t.wordIndex.sorted { $0.value < $1.value }
      XCTAssertEqual(byIndex.map(\.key), c.wordIndex.map(\.word), c.name)
      XCTAssertEqual(byIndex.map(\.value), c.wordIndex.map(\.number), c.name)
      XCTAssertEqual(t.wordCounts.map(\.word), c.wordCounts.map(\.word), c.name)
      XCTAssertEqual(t.wordCounts.map(\.count), c.wordCounts.map(\.number), c.name)
      let docs = t.wordDocs
      for pair in c.wordDocs { XCTAssertEqual(docs[pair.word], pair.number, c.name) }
      XCTAssertEqual(docs.count, c.wordDocs.count, c.name)
      XCTAssertEqual(t.documentCount, c.documentCount, c.name)
      XCTAssertEqual(t.textsToSequences(f.texts + f.heldOut), c.sequences, c.name)
      XCTAssertEqual(t.sequencesToTexts(c.probe), c.probeTexts, c.name)
      for mode in [KerasTokenizer.MatrixMode.binary, .count, .tfidf, .freq] {
        let expected = try XCTUnwrap(c.matrices[mode.rawValue])
        let m = try t.textsToMatrix(f.texts + f.heldOut, mode: mode)
        XCTAssertEqual([m.count, m.first?.count ?? 0], expected.shape, "\(c.name) \(mode)")
        var dense = [[Double]](
          repeating: [Double](repeating: 0, count: expected.shape[1]), count: expected.shape[0])
        for e in expected.entries { dense[Int(e[0])][Int(e[1])] = e[2] }
        for (r, (got, want)) in zip(m, dense).enumerated() {
          for (j, (a, b)) in zip(got, want).enumerated() where abs(a - b) > 1e-12 {
            XCTFail("\(c.name) \(mode) [\(r), \(j)]: \(a) vs Keras \(b)")
          }
        }
      }
    }
  }

  func testUnfittedMatrixThrows() {
    let t = KerasTokenizer()
    XCTAssertThrowsError(try t.textsToMatrix(["a b"])) { error in
      XCTAssertTrue(String(describing: error).contains("numWords"))
    }
    XCTAssertThrowsError(try KerasTokenizer(numWords: 10).textsToMatrix(["a"], mode: .tfidf))
  }

  func testRtPolarityMatchesKeras() throws {
    let documents = try VectorizationFixtures.rtPolarityDocuments()
    let f = try VectorizationFixtures.decode(Fixture.self, "vec_keras_tokenizer.json")
    let rt = try XCTUnwrap(f.rtPolarity)
    XCTAssertEqual(documents.count, rt.documents)
    var t = KerasTokenizer()
    t.fitOnTexts(documents)
    let words = t.wordIndex.sorted { $0.value < $1.value }.map(\.key)
    XCTAssertEqual(words.count, rt.vocabularySize)
    XCTAssertEqual(Array(words.prefix(rt.firstWords.count)), rt.firstWords)
    XCTAssertEqual(VectorizationFixtures.fnv1a64(words), rt.wordsHash)
    XCTAssertEqual(t.wordCounts.reduce(0) { $0 + $1.count }, rt.totalCount)
    let sample = rt.sampleIndices.map { documents[$0] }
    XCTAssertEqual(t.textsToSequences(sample), rt.sequences)

    var limited = KerasTokenizer(numWords: 5000, oovToken: "<OOV>")
    limited.fitOnTexts(documents)
    XCTAssertEqual(limited.textsToSequences(sample), rt.oovSequences)
    let m = try limited.textsToMatrix(Array(sample.prefix(rt.tfidfRows.count)), mode: .tfidf)
    for (row, expected) in zip(m, rt.tfidfRows) {
      let nonzero = row.indices.filter { row[$0] != 0 }
      XCTAssertEqual(nonzero, expected.map { Int($0[0]) })
      for e in expected { XCTAssertEqual(row[Int(e[0])], e[1], accuracy: 1e-12) }
    }
  }
}

/// The examples in the doc comments, checked.
final class VectorizationDocExampleTests: XCTestCase {
  func testDocExamples() throws {
    var t = KerasTokenizer(numWords: 100, oovToken: "<OOV>")
    t.fitOnTexts(["I love this movie", "I hate this movie"])
    XCTAssertEqual(t.wordIndex["<OOV>"], 1)
    XCTAssertEqual(t.textsToSequences(["I love that movie"]), [[2, 5, 1, 4]])

    var v = CountVectorizer(ngramRange: 1...2)
    let x = try v.fitTransform(["the cat sat", "the cat ran"])
    XCTAssertEqual([x.rows, x.columns], [2, 7])
    XCTAssertEqual(
      v.getFeatureNamesOut(), ["cat", "cat ran", "cat sat", "ran", "sat", "the", "the cat"])

    XCTAssertEqual(padSequences([[1, 2, 3], [4]] as [[Int32]], maxlen: 2), [[2, 3], [0, 4]])
    XCTAssertEqual(
      padSequences([[1, 2, 3], [4]] as [[Int32]], padding: .post, truncating: .post, value: -1),
      [[1, 2, 3], [4, -1, -1]])
  }
}
