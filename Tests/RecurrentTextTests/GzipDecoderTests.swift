import Foundation
import XCTest

@testable import RecurrentText

final class GzipDecoderTests: XCTestCase {
  func testCRC32KnownValues() {
    var crc = CRC32()
    crc.update(Array("123456789".utf8))
    XCTAssertEqual(crc.value, 0xCBF4_3926)  // the standard CRC-32 check value
    var split = CRC32()
    split.update(Array("12345".utf8))
    split.update(Array("6789".utf8))
    XCTAssertEqual(split.value, crc.value)
  }

  func testAllBlockTypesAndHeaderFieldsMatchThePlainText() throws {
    let plain = try Fixtures.bytes("norm_gzip_plain.txt")
    for name in [
      "norm_gzip_dynamic.gz", "norm_gzip_fixed.gz", "norm_gzip_stored.gz",
      "norm_gzip_huffman_only.gz", "norm_gzip_headers.gz", "norm_gzip_multimember.gz",
    ] {
      let out = try GzipDecoder.decompress(try Fixtures.bytes(name), name: name)
      XCTAssertEqual(out.count, plain.count, name)
      XCTAssertTrue(out == plain, name)
    }
  }

  func testTinyInputChunksGiveTheSameBytes() throws {
    let plain = try Fixtures.bytes("norm_gzip_plain.txt")
    for chunk in [1, 7, 4096] {
      let gz = GzipDecoder(
        source: MemoryByteSource(try Fixtures.bytes("norm_gzip_multimember.gz"), chunkLimit: chunk))
      var out: [UInt8] = []
      var buffer = [UInt8](repeating: 0, count: 333)
      while case let n = try buffer.withUnsafeMutableBytes({ try gz.read(into: $0) }), n > 0 {
        out += buffer[0..<n]
      }
      XCTAssertTrue(out == plain, "chunk \(chunk)")
    }
  }

  func testLongRangeMatchesAcrossWindowCompaction() throws {
    let meta = try Fixtures.json("norm_gzip_meta.json") as! [String: Any]
    let long = meta["long"] as! [String: Int]
    let out = try GzipDecoder.decompress(try Fixtures.bytes("norm_gzip_long.gz"))
    var crc = CRC32()
    crc.update(out)
    XCTAssertEqual(out.count, long["bytes"])
    XCTAssertEqual(Int(crc.value), long["crc32"])
    XCTAssertEqual(out.filter { $0 == 0x0A }.count, long["lines"])
  }

  func testTruncatedFileIsATypedErrorWithFileAndOffset() throws {
    let meta = try Fixtures.json("norm_gzip_meta.json") as! [String: Any]
    let size = meta["truncated_compressed_bytes"] as! Int
    let reader = try LineReader(path: Fixtures.path("norm_gzip_truncated.gz"))
    var lines = 0
    do {
      while try reader.next() != nil { lines += 1 }
      XCTFail("expected an error")
    } catch let error as TextInputError {
      XCTAssertEqual(error.kind, .truncated)
      XCTAssertTrue(error.file.hasSuffix("norm_gzip_truncated.gz"))
      let offset = try XCTUnwrap(error.byteOffset)
      XCTAssertTrue(offset > size - 16 && offset <= size, "offset \(offset) vs size \(size)")
      XCTAssertTrue(error.description.contains("norm_gzip_truncated.gz"))
      XCTAssertTrue(error.description.contains("byte offset"))
    }
    XCTAssertGreaterThan(lines, 10)  // lines before the cut were delivered
  }

  func testBadChecksumTrailingGarbageAndNotGzip() throws {
    XCTAssertThrowsError(try GzipDecoder.decompress(try Fixtures.bytes("norm_gzip_badcrc.gz"))) {
      XCTAssertEqual(($0 as? TextInputError)?.kind, .checksumMismatch)
    }
    XCTAssertThrowsError(try GzipDecoder.decompress(try Fixtures.bytes("norm_gzip_trailing.gz"))) {
      let e = $0 as? TextInputError
      XCTAssertEqual(e?.kind, .trailingGarbage)
      XCTAssertEqual(e?.byteOffset, try? Fixtures.bytes("norm_gzip_dynamic.gz").count)
    }
    XCTAssertThrowsError(try GzipDecoder.decompress(Array("plain text\n".utf8))) {
      XCTAssertEqual(($0 as? TextInputError)?.kind, .notGzip)
    }
    XCTAssertThrowsError(try GzipDecoder.decompress([])) {
      XCTAssertEqual(($0 as? TextInputError)?.kind, .truncated)
    }
  }

  func testCorruptBytesNeverCrash() throws {
    // Flip bytes all over a valid stream: every outcome must be bytes or a typed error.
    let good = try Fixtures.bytes("norm_gzip_dynamic.gz")
    var typedErrors = 0
    for position in stride(from: 10, to: good.count - 8, by: 97) {
      var bad = good
      bad[position] ^= 0x5A
      do { _ = try GzipDecoder.decompress(bad) } catch is TextInputError { typedErrors += 1 }
    }
    XCTAssertGreaterThan(typedErrors, 100)
  }

  /// Real files against `zcat`: same line count and FNV-1a hash of the bytes.
  func testRealFilesAgreeWithZcat() throws {
    for relative in ["mt-multi30k/train.en.gz", "lm-gutenberg/valid.txt.gz"] {
      let path = try Fixtures.sharedData(relative)
      guard let expected = try runTool("/bin/zcat", [path]) else {
        throw XCTSkip("zcat not available")
      }
      var want = FNV1a()
      expected.withUnsafeBytes { want.update($0.bindMemory(to: UInt8.self)) }
      let wantLines = expected.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }

      let reader = try LineReader(path: path)
      XCTAssertTrue(reader.isGzip)
      var got = FNV1a()
      var lines = 0
      let newline: [UInt8] = [0x0A]
      while try reader.withNextLine({ (bytes, _) -> Bool in
        got.update(bytes)
        newline.withUnsafeBufferPointer { got.update($0) }
        return true
      }) != nil {
        lines += 1
      }
      XCTAssertEqual(lines, wantLines, relative)
      XCTAssertEqual(got.value, want.value, relative)
    }
  }
}
