import XCTest

@testable import RecurrentText

/// The interning tables under the vectorizers: first-seen ids, exact byte matching (long keys that
/// share their first 8 bytes, the empty string), growth.
final class VectorizationInterningTests: XCTestCase {
  func testByteStringTableIdsAreFirstSeenAndExact() {
    var table = ByteStringTable(capacity: 4)
    let words =
      (0..<3000).map { "commonprefix\($0)" } + [
        "", "a", "ab", "abcdefgh", "abcdefghi", "é", "e\u{301}",
      ]
    for (k, w) in words.enumerated() {
      var s = w
      XCTAssertEqual(s.withUTF8 { table.intern($0) }, Int32(k), w)
    }
    XCTAssertEqual(table.count, words.count)
    for (k, w) in words.enumerated().reversed() {
      var s = w
      XCTAssertEqual(s.withUTF8 { table.find($0) }, Int32(k), w)
      XCTAssertEqual(table.string(k), w)
    }
    var missing = "commonprefix3000"
    XCTAssertEqual(missing.withUTF8 { table.find($0) }, -1)
    var short = "abcdefg"
    XCTAssertEqual(short.withUTF8 { table.find($0) }, -1)
  }

  func testIDSequenceTableSeparatesLengthsAndLongKeys() {
    var table = IDSequenceTable(capacity: 2)
    var keys: [[Int32]] = [[0], [0, 0], [1, 0], [0, 1], [0, 0, 0], [0, 0, 1], [7, 8, 9, 10]]
    for i in 0..<2000 {
      let n = Int32(i)
      keys.append([n % 37 + 100, n / 37, n])
    }
    for (k, key) in keys.enumerated() {
      XCTAssertEqual(key.withUnsafeBufferPointer { table.intern($0) }, Int32(k), "\(key)")
    }
    for (k, key) in keys.enumerated() {
      XCTAssertEqual(key.withUnsafeBufferPointer { table.find($0) }, Int32(k), "\(key)")
      XCTAssertEqual(Array(table.key(k)), key)
    }
    XCTAssertEqual([Int32(5), 5, 5].withUnsafeBufferPointer { table.find($0) }, -1)
  }
}
