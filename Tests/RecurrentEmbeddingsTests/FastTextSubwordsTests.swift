import Foundation
import XCTest

@testable import RecurrentEmbeddings

final class FastTextSubwordsTests: XCTestCase {
  /// n-grams and ids of `fasttext` 0.9.3 get_subwords (Tools/make_embeddings_fixtures.py).
  func testSubwordsAndIdsMatchFastText() throws {
    let golden = try fixtureJSON("fasttext_subwords.json")
    let nwords = golden["nwords"] as! Int
    let vocabulary = golden["vocabulary"] as! [String]
    let scheme = FastTextSubwords(
      minn: golden["minn"] as! Int, maxn: golden["maxn"] as! Int, buckets: golden["bucket"] as! Int)
    let words = golden["words"] as! [[String: Any]]
    XCTAssertGreaterThanOrEqual(words.count, 8)
    for entry in words {
      let word = entry["word"] as! String
      var subwords = entry["subwords"] as! [String]
      var ids = entry["ids"] as! [Int]
      if let row = vocabulary.firstIndex(of: word) {
        // In-vocabulary words come first with their own row.
        XCTAssertEqual(subwords.first, word)
        XCTAssertEqual(ids.first, row)
        subwords.removeFirst()
        ids.removeFirst()
      }
      let ours = scheme.ngrams(of: word)
      XCTAssertEqual(ours.map(\.text), subwords, word)
      XCTAssertEqual(ours.map { $0.bucket + nwords }, ids, word)
    }
  }

  func testSignedByteQuirkChangesNonASCIIHashes() {
    // Plain FNV-1a vs fastText's: equal on ASCII, different once a byte is ≥ 0x80.
    func plain(_ s: String) -> UInt32 {
      var h: UInt32 = 2_166_136_261
      for b in s.utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
      return h
    }
    XCTAssertEqual(FastTextSubwords.hash(Array("<cat>".utf8)), plain("<cat>"))
    XCTAssertNotEqual(FastTextSubwords.hash(Array("<où>".utf8)), plain("<où>"))
  }

  func testNoSubwordsWhenMaxnIsZero() {
    XCTAssertTrue(FastTextSubwords(minn: 0, maxn: 0).ngrams(of: "word").isEmpty)
  }
}

final class FastTextBinaryTests: XCTestCase {
  /// get_word_vector of a model saved by `fasttext` (seen words, unseen words, "</s>").
  func testBinModelVectorsMatchFastText() throws {
    let golden = try fixtureJSON("fasttext_subwords.json")
    let model = try FastTextModel.load(path: try fixturePath("fasttext_tiny.bin"))
    XCTAssertEqual(model.words, golden["vocabulary"] as! [String])
    XCTAssertEqual(model.dimension, 8)
    XCTAssertEqual(model.subwords, FastTextSubwords(minn: 3, maxn: 6, buckets: 1000))
    let vectors = golden["tiny_bin_vectors"] as! [String: [Double]]
    XCTAssertEqual(vectors.count, 11)
    for (word, expected) in vectors {
      let ours = model.wordVector(word)
      for (o, e) in zip(ours, expected) { XCTAssertEqual(Double(o), e, accuracy: 1e-6, word) }
    }
  }

  func testTruncatedBinModelNamesTheOffset() throws {
    let full = try Data(contentsOf: URL(fileURLWithPath: try fixturePath("fasttext_tiny.bin")))
    let path = try temporaryDirectory("ftbin") + "/m.bin"
    try full.prefix(200).write(to: URL(fileURLWithPath: path))
    XCTAssertThrowsError(try FastTextModel.load(path: path)) { error in
      guard case .malformed(_, let location, _) = error as! EmbeddingsError else {
        return XCTFail("\(error)")
      }
      XCTAssertTrue(location.hasPrefix("byte "), location)
    }
    try Data([1, 2, 3, 4, 5, 6, 7, 8]).write(to: URL(fileURLWithPath: path))
    XCTAssertThrowsError(try FastTextModel.load(path: path))
  }
}
