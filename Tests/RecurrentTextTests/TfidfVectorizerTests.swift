import XCTest

@testable import RecurrentText

/// Golden tests against scikit-learn 1.9 (fixtures from Tools/make_vectorizer_fixtures.py sklearn).
final class TfidfVectorizerTests: XCTestCase {
  struct CSR: Decodable {
    var shape: [Int]
    var indptr: [Int]
    var indices: [Int]
    var data: [Double]
  }

  struct Options: Decodable {
    var ngramRange: [Int]?
    var minDf: FixtureNumber?
    var maxDf: FixtureNumber?
    var maxFeatures: Int?
    var binary: Bool?
    var lowercase: Bool?
    var stopWords: [String]?
    var tokenizer: String?
    var sublinearTf: Bool?
    var smoothIdf: Bool?
    var useIdf: Bool?
    /// nil: the default (l2); .some(nil): explicitly None.
    var norm: String??

    enum CodingKeys: String, CodingKey {
      case ngramRange, minDf, maxDf, maxFeatures, binary, lowercase, stopWords, tokenizer
      case sublinearTf
      case smoothIdf, useIdf, norm
    }

    init(from decoder: Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      ngramRange = try c.decodeIfPresent([Int].self, forKey: .ngramRange)
      minDf = try c.decodeIfPresent(FixtureNumber.self, forKey: .minDf)
      maxDf = try c.decodeIfPresent(FixtureNumber.self, forKey: .maxDf)
      maxFeatures = try c.decodeIfPresent(Int.self, forKey: .maxFeatures)
      binary = try c.decodeIfPresent(Bool.self, forKey: .binary)
      lowercase = try c.decodeIfPresent(Bool.self, forKey: .lowercase)
      if let list = try? c.decodeIfPresent([String].self, forKey: .stopWords) {
        stopWords = list
      } else if try c.decodeIfPresent(String.self, forKey: .stopWords) == "english" {
        stopWords = CountVectorizer.englishStopWords
      }
      tokenizer = try c.decodeIfPresent(String.self, forKey: .tokenizer)
      sublinearTf = try c.decodeIfPresent(Bool.self, forKey: .sublinearTf)
      smoothIdf = try c.decodeIfPresent(Bool.self, forKey: .smoothIdf)
      useIdf = try c.decodeIfPresent(Bool.self, forKey: .useIdf)
      if c.contains(.norm) {
        norm = .some(
          try c.decodeNil(forKey: .norm) ? nil : try c.decode(String.self, forKey: .norm))
      }
    }

    /// Python's `str.split()` with no argument: runs of whitespace, no empty pieces.
    static let pythonSplit: @Sendable (String) -> [String] = { text in
      text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
    }

    static func bound(_ n: FixtureNumber?, _ fallback: DocumentFrequencyBound)
      -> DocumentFrequencyBound
    {
      switch n {
      case .int(let i)?: return .documents(i)
      case .double(let d)?: return .proportion(d)
      case nil: return fallback
      }
    }

    func tfidf() -> TfidfVectorizer {
      let r = ngramRange ?? [1, 1]
      var norm: TfidfNorm? = .l2
      if let explicit = self.norm { norm = explicit == "l1" ? .l1 : explicit == "l2" ? .l2 : nil }
      return TfidfVectorizer(
        ngramRange: r[0]...r[1], minDf: Self.bound(minDf, 1), maxDf: Self.bound(maxDf, 1.0),
        maxFeatures: maxFeatures, binary: binary ?? false, lowercase: lowercase ?? true,
        stopWords: stopWords,
        tokenizer: tokenizer == "str.split" ? Self.pythonSplit : nil, norm: norm,
        useIdf: useIdf ?? true, smoothIdf: smoothIdf ?? true,
        sublinearTf: sublinearTf ?? false)
    }
  }

  struct Case: Decodable {
    var name: String
    var kind: String
    var options: Options
    var features: [String]
    var fitTransform: CSR
    var transform: CSR
    var idf: [Double]?
  }

  struct ErrorCase: Decodable {
    var texts: [String]
    var options: Options
    var error: String?
  }

  struct Small: Decodable {
    var texts: [String]
    var heldOut: [String]
    var cases: [Case]
    var errors: [ErrorCase]
    var englishStopWords: [String]
  }

  static func assertEqual(
    _ m: SparseMatrix, _ expected: CSR, _ label: String, tolerance: Double = 1e-12,
    file: StaticString = #filePath, line: UInt = #line
  ) {
    XCTAssertEqual([m.rows, m.columns], expected.shape, "\(label) shape", file: file, line: line)
    XCTAssertEqual(m.rowPointers, expected.indptr, "\(label) indptr", file: file, line: line)
    XCTAssertEqual(
      m.columnIndices.map(Int.init), expected.indices, "\(label) indices", file: file, line: line)
    XCTAssertEqual(m.values.count, expected.data.count, "\(label) nnz", file: file, line: line)
    for (a, b) in zip(m.values, expected.data) where abs(a - b) > tolerance {
      XCTFail("\(label): value \(a) vs scikit-learn \(b)", file: file, line: line)
      return
    }
  }

  func testSmallCorpusMatchesScikitLearn() throws {
    let fixture = try VectorizationFixtures.decode(Small.self, "vec_sklearn_small.json")
    XCTAssertEqual(fixture.cases.count, 15)
    for c in fixture.cases {
      if c.kind == "count" {
        let o = c.options.tfidf().counter
        var v = o
        let fitted = try v.fitTransform(fixture.texts)
        XCTAssertEqual(v.getFeatureNamesOut(), c.features, c.name)
        Self.assertEqual(fitted, c.fitTransform, "\(c.name) fitTransform")
        Self.assertEqual(try v.transform(fixture.heldOut), c.transform, "\(c.name) transform")
      } else {
        var v = c.options.tfidf()
        let fitted = try v.fitTransform(fixture.texts)
        XCTAssertEqual(v.getFeatureNamesOut(), c.features, c.name)
        if let idf = c.idf {
          XCTAssertEqual(v.idf.count, idf.count, c.name)
          for (a, b) in zip(v.idf, idf) { XCTAssertEqual(a, b, accuracy: 1e-12, c.name) }
        } else {
          XCTAssertTrue(v.idf.isEmpty, c.name)
        }
        Self.assertEqual(fitted, c.fitTransform, "\(c.name) fitTransform")
        Self.assertEqual(try v.transform(fixture.heldOut), c.transform, "\(c.name) transform")
      }
    }
  }

  func testEnglishStopWordsAreScikitLearns() throws {
    let fixture = try VectorizationFixtures.decode(Small.self, "vec_sklearn_small.json")
    XCTAssertEqual(CountVectorizer.englishStopWords, fixture.englishStopWords)
  }

  func testErrorsMatchScikitLearn() throws {
    let fixture = try VectorizationFixtures.decode(Small.self, "vec_sklearn_small.json")
    XCTAssertFalse(fixture.errors.isEmpty)
    for e in fixture.errors {
      var v = e.options.tfidf().counter
      guard let expected = e.error else {
        XCTAssertNoThrow(try v.fit(e.texts))
        continue
      }
      XCTAssertThrowsError(try v.fit(e.texts)) { error in
        let message = String(describing: error)
        XCTAssertTrue(message.hasPrefix(expected), "\(message) should start with \(expected)")
      }
    }
  }

  // MARK: rt-polarity (skips when ../shared/data is absent)

  struct RTCase: Decodable {
    var name: String
    var kind: String
    var options: Options
    var vocabularySize: Int
    var nnz: Int
    var featuresHash: String
    var valueSum: Double
    var valueSquareSum: Double
    var weightedSum: Double
    var featureSample: [[IntOrString]]
    var sampleIndices: [Int]
    var rows: [[[Double]]]
    var idfSample: [Double]?
  }

  enum IntOrString: Decodable {
    case int(Int)
    case string(String)
    init(from decoder: Decoder) throws {
      let c = try decoder.singleValueContainer()
      if let i = try? c.decode(Int.self) {
        self = .int(i)
      } else {
        self = .string(try c.decode(String.self))
      }
    }
    var int: Int { if case .int(let i) = self { return i } else { return -1 } }
    var string: String { if case .string(let s) = self { return s } else { return "" } }
  }

  struct RT: Decodable {
    var documents: Int
    var cases: [RTCase]
  }

  func testRtPolarityMatchesScikitLearn() throws {
    let documents = try VectorizationFixtures.rtPolarityDocuments()
    let fixture = try VectorizationFixtures.decode(RT.self, "vec_sklearn_rt.json")
    XCTAssertEqual(documents.count, fixture.documents)
    for c in fixture.cases {
      var tfidf = c.options.tfidf()
      let m: SparseMatrix
      if c.kind == "count" {
        m = try tfidf.counter.fitTransform(documents)
      } else {
        m = try tfidf.fitTransform(documents)
      }
      let names = tfidf.getFeatureNamesOut()
      XCTAssertEqual(names.count, c.vocabularySize, c.name)
      XCTAssertEqual(m.columns, c.vocabularySize, c.name)
      XCTAssertEqual(m.storedCount, c.nnz, c.name)
      XCTAssertEqual(VectorizationFixtures.fnv1a64(names), c.featuresHash, "\(c.name) names")
      var sum = 0.0
      var squares = 0.0
      var weighted = 0.0
      for r in 0..<m.rows {
        for k in m.rowPointers[r]..<m.rowPointers[r + 1] {
          let v = m.values[k]
          sum += v
          squares += v * v
          weighted += v * Double(1 + (Int(m.columnIndices[k]) * 31 + r) % 1009)
        }
      }
      XCTAssertEqual(sum, c.valueSum, accuracy: 1e-6 * max(1, abs(c.valueSum)), c.name)
      XCTAssertEqual(squares, c.valueSquareSum, accuracy: 1e-6 * max(1, c.valueSquareSum), c.name)
      XCTAssertEqual(weighted, c.weightedSum, accuracy: 1e-6 * max(1, abs(c.weightedSum)), c.name)
      for (k, pair) in c.featureSample.enumerated() {
        let column = pair[0].int
        XCTAssertEqual(names[column], pair[1].string, c.name)
        if let idf = c.idfSample {
          XCTAssertEqual(tfidf.idf[column], idf[k], accuracy: 1e-9, "\(c.name) idf \(column)")
        }
      }
      for (row, expected) in zip(c.sampleIndices, c.rows) {
        let got = m.row(row)
        XCTAssertEqual(got.map(\.column), expected.map { Int($0[0]) }, "\(c.name) row \(row)")
        for (g, e) in zip(got, expected) {
          XCTAssertEqual(g.value, e[1], accuracy: 1e-9, "\(c.name) row \(row)")
        }
      }
    }
  }
}
