import Foundation
import XCTest

@testable import RecurrentEmbeddings

/// fastText's reading of a corpus (`</s>` per newline, ntokens, lines, tables) against the
/// `fasttext` package (fixture from Tools/make_embeddings_fasttext_dictionary.py).
final class FastTextDictionaryTests: XCTestCase {
  func testDictionaryMatchesFastTextPackage() throws {
    let cases = try XCTUnwrap(fixtureJSON("fasttext_dictionary.json")["cases"] as? [[String: Any]])
    XCTAssertEqual(cases.count, 4)
    for c in cases {
      let text = try XCTUnwrap(c["text"] as? String)
      let minCount = try XCTUnwrap(c["min_count"] as? Int)
      let words = try XCTUnwrap(c["words"] as? [String])
      let counts = try XCTUnwrap(c["counts"] as? [Int])
      let dict = try FastTextDictionary(
        corpus: EmbeddingCorpus(text: Array(text.utf8)), minCount: minCount)
      let label = "min count \(minCount): \(text.debugDescription)"
      XCTAssertEqual(dict.tokenCount, c["ntokens"] as? Int, label)
      XCTAssertEqual(dict.vocabulary.count, c["nwords"] as? Int, label)
      // Same entries; the order agrees up to ties (fastText's std::sort leaves ties unordered,
      // ours breaks them by bytes).
      let ours = Dictionary(
        uniqueKeysWithValues: zip(dict.vocabulary.words, dict.vocabulary.counts).map { ($0, $1) })
      XCTAssertEqual(ours, Dictionary(uniqueKeysWithValues: zip(words, counts).map { ($0, $1) }))
      XCTAssertEqual(dict.vocabulary.counts, counts, label)
      XCTAssertEqual(dict.endOfLineID != nil, words.contains("</s>"), label)
    }
  }

  func testStreamHasEndOfLineAtEveryNewline() throws {
    // Empty line and blank line give a lone `</s>`; the last line has no newline, so no `</s>`.
    let c = EmbeddingCorpus(text: Array("a b\n\nb rare a\n  \na b".utf8))
    XCTAssertEqual(c.lineEnds, [2, 2, 5, 5])
    let dict = try FastTextDictionary(corpus: c, minCount: 2)
    let spelled = dict.stream.map { dict.vocabulary.words[Int($0)] }
    XCTAssertEqual(spelled, ["a", "b", "</s>", "</s>", "b", "a", "</s>", "</s>", "a", "b"])
    XCTAssertEqual(dict.tokenCount, 7 + 4)
    XCTAssertEqual(dict.endOfLineID.map { dict.vocabulary.words[Int($0)] }, "</s>")
  }

  func testEndOfLineUnderMinCountIsDropped() throws {
    let dict = try FastTextDictionary(
      corpus: EmbeddingCorpus(text: Array("x y x y\nx y x\n".utf8)), minCount: 3)
    XCTAssertNil(dict.endOfLineID)
    XCTAssertEqual(dict.vocabulary.words, ["x", "y"])
    XCTAssertEqual(dict.stream.count, 7)
    XCTAssertEqual(dict.tokenCount, 9)
  }

  func testKeepProbabilityUsesFastTextTokenCount() throws {
    // 4 words + 1 newline: f(a) = 3 / 5.
    let dict = try FastTextDictionary(
      corpus: EmbeddingCorpus(text: Array("a a a b\n".utf8)), minCount: 1)
    XCTAssertEqual(dict.vocabulary.words, ["a", "</s>", "b"])
    let keep = dict.keepProbabilities(sample: 0.01)
    let f = 3.0 / 5.0
    XCTAssertEqual(Double(keep[0]), (0.01 / f).squareRoot() + 0.01 / f, accuracy: 1e-6)
  }

  func testNegativeTableRoundsEveryWordUp() throws {
    // √4 = 2 and √1 = 1 of Σ 3: 2·10⁷/3 and 10⁷/3 slots, each rounded up as fastText's loop does.
    let dict = try FastTextDictionary(
      corpus: EmbeddingCorpus(text: Array("a a a a b".utf8)), minCount: 1)
    XCTAssertEqual(dict.negativeTableCounts(), [6_666_667, 3_333_334])
    XCTAssertEqual(dict.negativeTableCounts(tableSize: 10), [7, 4])
  }

  func testTrainingReadsEpochsTimesAllTokens() throws {
    // fastText stops when the in-vocabulary tokens read reach epochs × ntokens, where ntokens
    // also counts words under min count: here 6 of the 18 tokens are rare, so it reads 2 × 24
    // kept tokens (plus at most one line) instead of 2 × 18.
    var text = ""
    for i in 0..<6 { text += "the cat sat on mat r\(i)\n" }
    let corpus = EmbeddingCorpus(text: Array(text.utf8))
    var config = FastTextConfiguration()
    config.dimension = 4
    config.epochs = 2
    config.minCount = 2
    config.sample = 1  // keep every token
    config.lrUpdateRate = 1
    config.subwords = FastTextSubwords(minn: 3, maxn: 4, buckets: 100)
    let (model, report) = try FastText.train(corpus: corpus, configuration: config)
    XCTAssertEqual(model.words, ["</s>", "cat", "mat", "on", "sat", "the"])
    XCTAssertEqual(model.subwordRows("</s>"), [0])  // its own row only
    let goal = 2 * (36 + 6)
    XCTAssertGreaterThanOrEqual(report.effectiveWords, goal)
    XCTAssertLessThan(report.effectiveWords, goal + 6 + 2)
    XCTAssertEqual(report.rawWords, 2 * 36)
    XCTAssertTrue(model.input.allSatisfy(\.isFinite))
  }
}
