import XCTest

@testable import RecurrentEmbeddings

/// Queries against gensim KeyedVectors on the same fixture vectors (queries.json).
final class WordVectorsTests: XCTestCase {
  var wv: WordVectors!
  var golden: [String: Any]!

  override func setUpWithError() throws {
    wv = try WordVectors.load(path: try fixturePath("vectors.txt"))
    golden = try fixtureJSON("queries.json")
  }

  func check(_ ours: [(word: String, similarity: Float)], _ theirs: [[Any]], _ label: String) {
    XCTAssertEqual(ours.map(\.word), theirs.map { $0[0] as! String }, label)
    for (o, t) in zip(ours, theirs) {
      XCTAssertEqual(Double(o.similarity), t[1] as! Double, accuracy: 1e-5, label)
    }
  }

  func testMostSimilarAnd3CosAdd() throws {
    let cases = golden["most_similar"] as! [[String: Any]]
    XCTAssertGreaterThan(cases.count, 8)
    for c in cases {
      let ours = try wv.mostSimilar(
        positive: c["positive"] as! [String], negative: c["negative"] as! [String],
        topN: c["topn"] as! Int, restrictVocab: c["restrict"] as? Int)
      check(ours, c["result"] as! [[Any]], "\(c["positive"]!) - \(c["negative"]!)")
    }
  }

  func testCosMul() throws {
    for c in golden["cosmul"] as! [[String: Any]] {
      let ours = try wv.mostSimilarCosMul(
        positive: c["positive"] as! [String], negative: c["negative"] as! [String],
        topN: c["topn"] as! Int)
      check(ours, c["result"] as! [[Any]], "cosmul \(c["positive"]!)")
    }
  }

  func testSimilarityAndDoesntMatch() throws {
    for c in golden["similarity"] as! [[String: Any]] {
      XCTAssertEqual(
        Double(try wv.similarity(c["a"] as! String, c["b"] as! String)), c["value"] as! Double,
        accuracy: 1e-6)
    }
    for c in golden["doesnt_match"] as! [[String: Any]] {
      XCTAssertEqual(try wv.doesntMatch(c["words"] as! [String]), c["result"] as! String)
    }
    XCTAssertThrowsError(try wv.similarity("the", "notaword")) { error in
      XCTAssertEqual(error as? EmbeddingsError, .unknownWord("notaword"))
    }
  }

  func sections(_ result: AnalogyEvaluation.Result) -> [[Int]] {
    result.sections.map { [$0.correct, $0.total - $0.correct] }
  }

  func goldenSections(_ key: String) -> ([[Int]], Double) {
    let g = golden[key] as! [String: Any]
    let s = (g["sections"] as! [[String: Any]]).filter {
      ($0["name"] as! String) != "Total accuracy"
    }
    return (s.map { [$0["correct"] as! Int, $0["incorrect"] as! Int] }, g["score"] as! Double)
  }

  func testAnalogyEvaluationMatchesGensim() throws {
    let path = try fixturePath("analogies-mini.txt")
    for (key, restrict) in [("analogy_mini", 300_000), ("analogy_mini_restrict50", 50)] {
      let ours = try AnalogyEvaluation.evaluate(wv, questionsPath: path, restrictVocab: restrict)
      let (theirs, score) = goldenSections(key)
      XCTAssertEqual(sections(ours), theirs, key)
      XCTAssertEqual(ours.accuracy, score, accuracy: 1e-12, key)
    }
  }

  func testSharedEvaluationSetsMatchGensim() throws {
    let questions = try sharedData("embeddings-eval/questions-words.txt")
    let ours = try AnalogyEvaluation.evaluate(wv, questionsPath: questions, restrictVocab: 300)
    let (theirs, score) = goldenSections("analogy_shared")
    XCTAssertEqual(sections(ours), theirs)
    XCTAssertEqual(ours.accuracy, score, accuracy: 1e-12)
    let pairs = golden["pairs_shared"] as! [String: [String: Double]]
    for (name, g) in pairs {
      let r = try WordPairEvaluation.evaluate(
        wv, pairsPath: try sharedData("embeddings-eval/word-sim/\(name).txt"))
      XCTAssertEqual(r.spearman, g["spearman"]!, accuracy: 1e-6, name)
      XCTAssertEqual(r.pearson, g["pearson"]!, accuracy: 1e-5, name)
      XCTAssertEqual(100 * r.oovRate, g["oov_percent"]!, accuracy: 1e-9, name)
    }
  }

  func testSpearmanUsesAverageRanksForTies() {
    XCTAssertEqual(WordPairEvaluation.ranks([10, 20, 20, 5]), [2, 3.5, 3.5, 1])
  }

  func testEmbeddingMatrixForWordIndex() throws {
    let index = ["the": 1, "zzzunknown": 2, "said": 4]
    let zeros = wv.embeddingMatrix(wordIndex: index)
    XCTAssertEqual(zeros.count, 5)
    XCTAssertEqual(zeros[0], [Float](repeating: 0, count: 16))
    XCTAssertEqual(zeros[1], wv.vector("the"))
    XCTAssertEqual(zeros[2], [Float](repeating: 0, count: 16))
    XCTAssertEqual(zeros[3], [Float](repeating: 0, count: 16))
    XCTAssertEqual(zeros[4], wv.vector("said"))
    let random = wv.embeddingMatrix(wordIndex: index, missing: .random(scale: 0.05, seed: 3))
    XCTAssertTrue(random[2].allSatisfy { abs($0) <= 0.05 } && random[2].contains { $0 != 0 })
    XCTAssertEqual(
      random, wv.embeddingMatrix(wordIndex: index, missing: .random(scale: 0.05, seed: 3)))
  }
}
