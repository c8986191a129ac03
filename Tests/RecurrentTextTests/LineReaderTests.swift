import XCTest

@testable import RecurrentText

final class LineReaderTests: XCTestCase {
  func testPlainAndGzipGiveTheSameLines() throws {
    let plain = try LineReader(path: Fixtures.path("norm_gzip_plain.txt"))
    let gz = try LineReader(path: Fixtures.path("norm_gzip_dynamic.gz"))
    XCTAssertFalse(plain.isGzip)
    XCTAssertTrue(gz.isGzip)
    let a = try plain.readAll()
    let b = try gz.readAll()
    XCTAssertEqual(a.count, 100)
    XCTAssertEqual(a, b)
  }

  func testInvalidUTF8IsReplacedAndReportedWithOffsets() throws {
    let reader = try LineReader(path: Fixtures.path("norm_lines_invalid_utf8.txt"))
    let lines = try reader.readAll()
    XCTAssertEqual(
      lines, ["café", "bad \u{FFFD} byte", "ok", "trunc \u{FFFD}", "last without newline"])
    XCTAssertEqual(reader.invalidUTF8Count, 2)
    // "café\r\n" is 7 bytes; "bad " puts 0xFF at offset 11. Line 4 starts at 7+11+3=21, +6.
    XCTAssertEqual(
      reader.invalidUTF8,
      [.init(line: 2, byteOffset: 11), .init(line: 4, byteOffset: 27)])

    let strict = try LineReader(
      path: Fixtures.path("norm_lines_invalid_utf8.txt"), strictUTF8: true)
    XCTAssertEqual(try strict.next(), "café")
    XCTAssertThrowsError(try strict.next()) {
      let e = $0 as? TextInputError
      XCTAssertEqual(e?.kind, .invalidUTF8)
      XCTAssertEqual(e?.line, 2)
      XCTAssertEqual(e?.byteOffset, 11)
    }
  }

  func testLineEndingsAndEmptyLines() throws {
    func lines(_ text: String, chunk: Int = 3) throws -> [String] {
      try LineReader(source: MemoryByteSource(Array(text.utf8), chunkLimit: chunk)).readAll()
    }
    XCTAssertEqual(try lines(""), [])
    XCTAssertEqual(try lines("\n"), [""])
    XCTAssertEqual(try lines("a\n\nb"), ["a", "", "b"])
    XCTAssertEqual(try lines("a\r\nb\r\n"), ["a", "b"])
    XCTAssertEqual(try lines("only"), ["only"])
  }

  func testLongLinesStayBounded() throws {
    let long = String(repeating: "é", count: 50)  // 100 bytes of 2-byte characters
    let text = "short\n" + long + "\nafter\n"
    let source = { MemoryByteSource(Array(text.utf8), name: "long.txt", chunkLimit: 5) }

    let failing = LineReader(source: source(), maxLineBytes: 16)
    XCTAssertEqual(try failing.next(), "short")
    XCTAssertThrowsError(try failing.next()) {
      let e = $0 as? TextInputError
      XCTAssertEqual(e?.kind, .lineTooLong)
      XCTAssertEqual(e?.line, 2)
      XCTAssertEqual(e?.file, "long.txt")
    }

    let split = LineReader(source: source(), maxLineBytes: 17, longLines: .split)
    let pieces = try split.readAll()
    XCTAssertEqual(pieces.first, "short")
    XCTAssertEqual(pieces.last, "after")
    XCTAssertEqual(pieces.dropFirst().dropLast().joined(), long)
    XCTAssertTrue(pieces.allSatisfy { $0.utf8.count <= 17 && !$0.contains("\u{FFFD}") })
    XCTAssertEqual(split.lineNumber, 3)

    let truncated = LineReader(source: source(), maxLineBytes: 16, longLines: .truncate)
    XCTAssertEqual(try truncated.readAll(), ["short", String(repeating: "é", count: 8), "after"])
    XCTAssertLessThanOrEqual(truncated.capacity, 17)
  }

  func testMissingFileNamesThePath() {
    XCTAssertThrowsError(try LineReader(path: "/nonexistent/file.txt")) {
      let e = $0 as? TextInputError
      XCTAssertEqual(e?.kind, .cannotOpen)
      XCTAssertEqual(e?.file, "/nonexistent/file.txt")
    }
  }
}
