import Foundation
import XCTest

/// Loading of the committed `vec_*.json` fixtures (made by Tools/make_vectorizer_fixtures.py) and
/// of the rt-polarity corpus beside the repository.
enum VectorizationFixtures {
  static func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
    guard let base = Bundle.module.resourceURL else {
      throw XCTSkip("test bundle has no resources")
    }
    let url = base.appendingPathComponent("Fixtures").appendingPathComponent(name)
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(T.self, from: Data(contentsOf: url))
  }

  /// ../shared/data/sentiment-rt-polarity, from this file's location.
  static var rtPolarityDirectory: URL {
    URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent()  // RecurrentTextTests
      .deletingLastPathComponent()  // Tests
      .deletingLastPathComponent()  // package root
      .deletingLastPathComponent()
      .appendingPathComponent("shared/data/sentiment-rt-polarity")
  }

  /// All 10,662 lines: rt-polarity.pos then rt-polarity.neg, split on "\n" (as the fixture script).
  static func rtPolarityDocuments() throws -> [String] {
    var documents: [String] = []
    for name in ["rt-polarity.pos", "rt-polarity.neg"] {
      let url = rtPolarityDirectory.appendingPathComponent(name)
      guard FileManager.default.fileExists(atPath: url.path) else {
        throw XCTSkip("rt-polarity data not found at \(url.path); skipping the full-corpus check")
      }
      let bytes = [UInt8](try Data(contentsOf: url))
      var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
      if lines.last?.isEmpty == true { lines.removeLast() }
      documents += lines.map { String(decoding: $0, as: UTF8.self) }
    }
    return documents
  }

  /// FNV-1a 64 of the UTF-8 bytes of `words` joined by "\n", as hex (the fixture's hash).
  static func fnv1a64(_ words: [String]) -> String {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in words.joined(separator: "\n").utf8 {
      h ^= UInt64(byte)
      h = h &* 0x0000_0100_0000_01B3
    }
    let hex = String(h, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }
}

/// A JSON value that is an integer or a float in the fixture (scikit-learn's min_df / max_df).
enum FixtureNumber: Decodable {
  case int(Int)
  case double(Double)

  init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if let d = try? c.decode(Double.self), d != d.rounded() {
      self = .double(d)
    } else {
      self = .int(try c.decode(Int.self))
    }
  }
}
