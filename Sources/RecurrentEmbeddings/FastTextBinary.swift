// Reading fastText `.bin` models (format version 12, as written by fastText 0.9.x
// FastText::saveModel): magic, version, args, dictionary, input matrix, output matrix.
// Only unquantized, unpruned models are read (`.ftz` quantized models throw).
import Foundation

extension FastTextModel {
  /// fastText's `.bin` magic number.
  static let magic: Int32 = 793_712_314

  /// Reads a fastText `.bin` model: its words, n-gram scheme and input rows, so that
  /// `wordVector(_:)` gives what fastText's `get_word_vector` gives, unseen words included.
  ///
  /// ```swift
  /// let model = try FastTextModel.load(path: "model.bin")
  /// let v = model.wordVector("anyword")
  /// ```
  public static func load(path: String) throws -> FastTextModel {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw EmbeddingsError.unreadable(path: path, reason: "no such file or not readable")
    }
    var r = BinaryReader(bytes: [UInt8](data), path: path)
    guard try r.int32() == magic else {
      throw EmbeddingsError.malformed(
        path: path, location: "byte 0", reason: "not a fastText .bin model (wrong magic number)")
    }
    let version = try r.int32()
    guard version == 12 else {
      throw EmbeddingsError.malformed(
        path: path, location: "byte 4", reason: "fastText model version \(version), expected 12")
    }
    // Args: dim ws epoch minCount neg wordNgrams loss model bucket minn maxn lrUpdateRate t.
    var args: [Int] = []
    for _ in 0..<12 { args.append(Int(try r.int32())) }
    _ = try r.float64()
    let (dim, bucket, minn, maxn) = (args[0], args[8], args[9], args[10])
    let size = Int(try r.int32())
    let nwords = Int(try r.int32())
    _ = try r.int32()  // labels
    _ = try r.int64()  // tokens
    let pruned = try r.int64()
    var words: [String] = []
    var counts: [Int] = []
    for _ in 0..<size {
      let word = try r.cString()
      let count = Int(try r.int64())
      let type = try r.uint8()
      if type == 0 {
        words.append(word)
        counts.append(count)
      }
    }
    guard pruned <= 0, try r.uint8() == 0 else {
      throw EmbeddingsError.malformed(
        path: path, location: "byte \(r.offset)",
        reason: "pruned or quantized fastText models (.ftz) are not supported")
    }
    let rows = Int(try r.int64())
    let columns = Int(try r.int64())
    guard columns == dim, rows == nwords + bucket, words.count == nwords else {
      throw EmbeddingsError.dimensionMismatch(
        path: path, location: "byte \(r.offset - 16)", expected: (nwords + bucket) * dim,
        found: rows * columns)
    }
    let input = try r.floats(rows * columns)
    var index: [String: Int] = [:]
    for (i, w) in words.enumerated() where index[w] == nil { index[w] = i }
    return FastTextModel(
      words: words, counts: counts, dimension: dim,
      subwords: FastTextSubwords(minn: minn, maxn: maxn, buckets: bucket), input: input,
      index: index)
  }
}

/// Little-endian reader that reports truncation with the byte offset.
private struct BinaryReader {
  let bytes: [UInt8]
  let path: String
  var offset = 0

  mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
    guard offset + n <= bytes.count else {
      throw EmbeddingsError.malformed(
        path: path, location: "byte \(offset)",
        reason: "file ends while \(n) more bytes were expected (truncated?)")
    }
    defer { offset += n }
    return bytes[offset..<(offset + n)]
  }

  mutating func uint64(_ n: Int) throws -> UInt64 {
    try take(n).reversed().reduce(0) { $0 << 8 | UInt64($1) }
  }
  mutating func uint8() throws -> UInt8 { try take(1).first! }
  mutating func int32() throws -> Int32 { Int32(truncatingIfNeeded: try uint64(4)) }
  mutating func int64() throws -> Int64 { Int64(bitPattern: try uint64(8)) }
  mutating func float64() throws -> Double { Double(bitPattern: try uint64(8)) }

  mutating func cString() throws -> String {
    guard let end = bytes[offset...].firstIndex(of: 0) else {
      throw EmbeddingsError.malformed(
        path: path, location: "byte \(offset)", reason: "unterminated word (truncated?)")
    }
    defer { offset = end + 1 }
    return String(decoding: bytes[offset..<end], as: UTF8.self)
  }

  mutating func floats(_ n: Int) throws -> [Float] {
    let raw = try take(n * 4)
    var out = [Float](repeating: 0, count: n)
    raw.withUnsafeBytes { src in
      for i in 0..<n {
        out[i] = Float(
          bitPattern: UInt32(
            littleEndian: src.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
      }
    }
    return out
  }
}
