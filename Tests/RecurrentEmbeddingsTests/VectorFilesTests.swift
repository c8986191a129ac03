import Foundation
import XCTest

@testable import RecurrentEmbeddings

final class VectorFilesTests: XCTestCase {
  func testGensimTextBinaryAndFastTextVecAgree() throws {
    let text = try WordVectors.load(path: try fixturePath("vectors.txt"))
    let binary = try WordVectors.load(path: try fixturePath("vectors.bin"))
    let vec = try WordVectors.load(path: try fixturePath("vectors.vec"), format: .word2vecText)
    XCTAssertEqual(text.count, 1500)
    XCTAssertEqual(text.dimension, 16)
    XCTAssertEqual(text.words, binary.words)
    XCTAssertEqual(text.words, vec.words)
    // gensim writes str(float32), the shortest repr: text and binary are bit-identical.
    XCTAssertEqual(text.vectors, binary.vectors)
    for (a, b) in zip(text.vectors, vec.vectors) {
      XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, abs(a)))
    }
  }

  func testRoundTripTextAndBinary() throws {
    let original = try WordVectors.load(path: try fixturePath("vectors.bin"))
    let dir = try temporaryDirectory("roundtrip")
    for format in WordVectorFormat.allCases {
      let path = dir + "/v." + (format == .word2vecBinary ? "bin" : "txt")
      try original.save(path: path, format: format)
      let back = try WordVectors.load(path: path)
      XCTAssertEqual(back.words, original.words)
      XCTAssertEqual(back.vectors, original.vectors, "\(format)")
    }
  }

  /// Leaves files for `Tools/make_embeddings_fixtures.py --verify` (gensim reads what we write),
  /// including words gensim must keep intact (non-ASCII, punctuation).
  func testWrittenFilesForGensim() throws {
    let dir = NSTemporaryDirectory() + "/recurrent-embeddings-roundtrip"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let wv = WordVectors(
      words: ["the", "où", "日本語", "don't", "x"], dimension: 3,
      vectors: [
        0.1, -0.2, 0.3, 1e-8, 12345.678, -0.0, 0.5, 0.25, 0.125, -1, 1, 0, 3.4e38, -2e-3, 7,
      ])
    try wv.save(path: dir + "/ours.txt", format: .word2vecText)
    try wv.save(path: dir + "/ours.bin", format: .word2vecBinary)
    XCTAssertEqual(try WordVectors.load(path: dir + "/ours.txt").vectors, wv.vectors)
    XCTAssertEqual(try WordVectors.load(path: dir + "/ours.bin").vectors, wv.vectors)
  }

  func testBinaryWithWord2vecCNewlines() throws {
    var bytes = Array("2 2\n".utf8)
    for (word, values) in [("a", [Float(1), 2]), ("b", [3, 4])] {
      bytes += Array("\(word) ".utf8)
      for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
      bytes.append(0x0A)
    }
    let path = try temporaryDirectory("w2vc") + "/v.bin"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let wv = try WordVectors.load(path: path)
    XCTAssertEqual(wv.words, ["a", "b"])
    XCTAssertEqual(wv.vectors, [1, 2, 3, 4])
  }

  func write(_ text: String, _ name: String) throws -> String {
    let path = try temporaryDirectory("bad") + "/" + name
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  func testMalformedTextFilesNameTheLine() throws {
    let cases: [(String, String)] = [
      ("2 3\na 1 2 3\nb 1 2\n", "line 3"),  // short vector
      ("2 3\na 1 2 3\nb 1 2 3 4\n", "line 3"),  // long vector
      ("2 3\na 1 x 3\nb 1 2 3\n", "line 2"),  // not a number
      ("3 3\na 1 2 3\nb 1 2 3\n", "line 4"),  // truncated
      ("three 3\na 1 2 3\n", "line 1"),  // bad header
    ]
    for (text, location) in cases {
      let path = try write(text, "v.txt")
      XCTAssertThrowsError(try WordVectors.load(path: path)) { error in
        let e = error as! EmbeddingsError
        switch e {
        case .malformed(_, let at, _), .dimensionMismatch(_, let at, _, _):
          XCTAssertEqual(at, location, "\(text)")
        default: XCTFail("unexpected \(e)")
        }
        XCTAssertTrue(e.description.contains(path))
      }
    }
    let path = try write("2 3\na 1 2 3\nb 1 2\n", "v.txt")
    XCTAssertThrowsError(try WordVectors.load(path: path)) { error in
      XCTAssertEqual(
        error as? EmbeddingsError,
        .dimensionMismatch(path: path, location: "line 3", expected: 3, found: 2))
    }
  }

  func testTruncatedBinaryNamesTheByteOffset() throws {
    let full = try Data(contentsOf: URL(fileURLWithPath: try fixturePath("vectors.bin")))
    let path = try temporaryDirectory("trunc") + "/v.bin"
    try full.prefix(full.count - 10).write(to: URL(fileURLWithPath: path))
    XCTAssertThrowsError(try WordVectors.load(path: path)) { error in
      guard case .malformed(_, let location, let reason) = error as! EmbeddingsError else {
        return XCTFail("\(error)")
      }
      // The last vector starts 64 bytes before the end of the full file.
      XCTAssertEqual(location, "byte \(full.count - 64)")
      XCTAssertTrue(reason.contains("1500 of 1500"), reason)
    }
    XCTAssertThrowsError(try WordVectors.load(path: "/nonexistent/v.txt")) { error in
      guard case .unreadable = error as! EmbeddingsError else { return XCTFail("\(error)") }
    }
  }
}
