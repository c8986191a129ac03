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
