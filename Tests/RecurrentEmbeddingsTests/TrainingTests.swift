import Foundation
import XCTest

@testable import RecurrentEmbeddings

final class TrainingTests: XCTestCase {
  /// The first lines of the Gutenberg validation split (≈ 60k tokens).
  static let corpus: EmbeddingCorpus? = {
    guard let path = try? sharedData("lm-gutenberg/valid.txt.gz"),
      let full = try? CorpusFile.readAll(path: path)
    else { return nil }
    var lines = 0
    var end = 0
    while end < full.count && lines < 1200 {
      if full[end] == 0x0A { lines += 1 }
      end += 1
    }
    return EmbeddingCorpus(text: Array(full[..<end]))
  }()

  func corpus() throws -> EmbeddingCorpus {
    guard let c = Self.corpus else { throw XCTSkip("shared lm-gutenberg data not found") }
    return c
  }

  func testTokenizerSplitsLikePythonStrSplit() {
    let text = "a\u{00A0}b\tc\u{3000}d  e\u{2009}f\u{1C}g\r\nh\n\n  \ni j"
    let c = EmbeddingCorpus(text: Array(text.utf8))
    XCTAssertEqual(c.words, ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"])
    XCTAssertEqual(c.sentenceCount, 3)
    let long = EmbeddingCorpus(text: Array("a b c d e".utf8), maxSentenceLength: 2)
    XCTAssertEqual(long.sentenceStarts, [0, 2, 4, 5])
  }

  func testVocabularyOrderAndMaxFinalVocab() throws {
    let c = EmbeddingCorpus(text: Array("b a c b a d d e e e c".utf8))
    let v = try WordVocabulary(corpus: c, minCount: 1)
    XCTAssertEqual(v.words, ["e", "a", "b", "c", "d"])  // count desc, then bytes
    // gensim: min count becomes count of the (max+1)-th word + 1 = 2 + 1, keeping only "e".
    let capped = try WordVocabulary(corpus: c, minCount: 1, maxFinalVocab: 2)
    XCTAssertEqual(capped.words, ["e"])
    XCTAssertEqual(capped.effectiveMinCount, 3)
  }

  func testEmptyCorpusAndEmptyVocabularyAreErrors() {
    XCTAssertThrowsError(
      try Word2Vec.train(corpus: EmbeddingCorpus(text: Array(" \n\n".utf8)), configuration: .init())
    ) { error in
      guard case .emptyCorpus = error as! EmbeddingsError else { return XCTFail("\(error)") }
    }
    XCTAssertThrowsError(
      try Word2Vec.train(
        corpus: EmbeddingCorpus(text: Array("a b c a".utf8)), configuration: .init())
    ) { error in
      XCTAssertEqual(error as? EmbeddingsError, .emptyVocabulary(minCount: 5, distinctWords: 3))
    }
    var bad = Word2VecConfiguration()
    bad.window = 0
    XCTAssertThrowsError(
      try Word2Vec.train(corpus: EmbeddingCorpus(text: Array("a".utf8)), configuration: bad))
  }

  func testHuffmanCodesArePrefixFree() {
    let tree = HuffmanTree(counts: [50, 20, 20, 5, 3, 1])
    var kraft = 0.0
    for w in 0..<6 {
      let n = tree.offsets[w + 1] - tree.offsets[w]
      kraft += pow(2, -Double(n))
      XCTAssertEqual(tree.points[tree.offsets[w]], 4)  // every path starts at the root (V − 2)
    }
    XCTAssertEqual(kraft, 1, accuracy: 1e-12)
    XCTAssertLessThanOrEqual(tree.offsets[1] - tree.offsets[0], tree.offsets[6] - tree.offsets[5])
  }

  func testAliasSamplerFollowsUnigramPower() {
    let counts = [1000, 100, 10, 1]
    let sampler = NegativeSampler(counts: counts, power: 0.75)
    var rng = Word2VecRandom(seed: 5)
    var seen = [Int](repeating: 0, count: 4)
    sampler.entries.withUnsafeBufferPointer { e in
      for _ in 0..<200_000 { seen[Int(NegativeSampler.draw(e, &rng))] += 1 }
    }
    let z = counts.reduce(0.0) { $0 + pow(Double($1), 0.75) }
    for w in 0..<4 {
      XCTAssertEqual(Double(seen[w]) / 200_000, pow(Double(counts[w]), 0.75) / z, accuracy: 0.005)
    }
  }

  /// True when one of `expected` is among the 10 nearest neighbours of `word`.
  func neighbours(_ wv: WordVectors, _ word: String, _ expected: Set<String>) throws -> Bool {
    let near = try wv.mostSimilar(positive: [word], topN: 10).map(\.word)
    return !expected.isDisjoint(with: near)
  }

  static let sheLike: Set<String> = ["her", "She", "he", "her.", "him", "Her", "her,"]
  static let saidLike: Set<String> = ["replied", "cried", "asked", "answered", "says", "exclaimed"]

  func testWord2VecIsDeterministicWithOneThread() throws {
    let c = try corpus()
    for sg in [true, false] {
      var config = Word2VecConfiguration()
      config.architecture = sg ? .skipGram : .cbow
      config.vectorSize = 16
      config.epochs = 1
      config.seed = 11
      let (a, report) = try Word2Vec.train(corpus: c, configuration: config)
      let (b, _) = try Word2Vec.train(corpus: c, configuration: config)
      XCTAssertEqual(a.vectors, b.vectors)
      XCTAssertEqual(a.words, b.words)
      XCTAssertEqual(report.rawWords, c.tokenCount)
      XCTAssertLessThan(report.effectiveWords, report.rawWords)
      config.seed = 12
      XCTAssertNotEqual(try Word2Vec.train(corpus: c, configuration: config).0.vectors, a.vectors)
    }
  }

  func testSkipGramLearns() throws {
    var config = Word2VecConfiguration()
    config.architecture = .skipGram
    config.vectorSize = 24
    config.epochs = 8
    config.alpha = 0.05
    let (wv, _) = try Word2Vec.train(corpus: try corpus(), configuration: config)
    XCTAssertTrue(try neighbours(wv, "she", Self.sheLike))
    XCTAssertTrue(try neighbours(wv, "said", Self.saidLike))
  }

  func testCBOWVariantsAndHierarchicalSoftmaxLearn() throws {
    let c = try corpus()
    for (mean, hs) in [(true, false), (false, false), (true, true)] {
      var config = Word2VecConfiguration()
      config.vectorSize = 24
      config.epochs = 8
      config.cbowMean = mean
      config.hierarchicalSoftmax = hs
      config.negative = hs ? 0 : 5
      config.alpha = 0.05
      let (wv, _) = try Word2Vec.train(corpus: c, configuration: config)
      XCTAssertTrue(wv.vectors.allSatisfy(\.isFinite))
      // The summed-context variant learns too slowly on 50k tokens for a neighbour check.
      if mean { XCTAssertTrue(try neighbours(wv, "she", Self.sheLike), "cbow hs \(hs)") }
    }
  }

  func testTwoThreadsTrain() throws {
    var config = Word2VecConfiguration()
    config.vectorSize = 16
    config.epochs = 1
    config.threads = 2
    let (wv, report) = try Word2Vec.train(corpus: try corpus(), configuration: config)
    XCTAssertTrue(wv.vectors.allSatisfy(\.isFinite))
    XCTAssertGreaterThan(report.effectiveWords, 0)
  }

  func testFastTextIsDeterministicLearnsAndBuildsUnseenWords() throws {
    var config = FastTextConfiguration()
    config.dimension = 16
    config.epochs = 1
    config.subwords = FastTextSubwords(minn: 3, maxn: 6, buckets: 200_000)
    let c = try corpus()
    let (once, _) = try FastText.train(corpus: c, configuration: config)
    XCTAssertEqual(once.input, try FastText.train(corpus: c, configuration: config).model.input)
    config.epochs = 5
    let (model, _) = try FastText.train(corpus: c, configuration: config)
    let wv = model.wordVectors()
    XCTAssertTrue(try neighbours(wv, "said", ["said.", "said,", "said:", "says"]))
    // An unseen word is the mean of its n-gram rows and lands near its seen relatives.
    XCTAssertNil(model.index["houseses"])
    let unseen = model.wordVector("houseses")
    XCTAssertTrue(unseen.contains { $0 != 0 })
    // "house" (which shares most n-grams) ranks in the closest 5% of the vocabulary.
    let ranked = wv.mostSimilar(vector: unseen, topN: wv.count).map(\.word)
    let rank = try XCTUnwrap(ranked.firstIndex(of: "house"))
    XCTAssertLessThan(rank, wv.count / 20, "rank \(rank) of \(wv.count)")
    let matrix = wv.embeddingMatrix(wordIndex: ["houseses": 1], subwords: model)
    XCTAssertEqual(matrix[1], unseen)
  }
}
