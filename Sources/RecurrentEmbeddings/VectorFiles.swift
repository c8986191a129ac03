// word2vec text / binary and fastText `.vec` files, as gensim's `save_word2vec_format` and
// `load_word2vec_format` read and write them:
//   header  "V D\n"
//   text    "word c1 c2 … cD\n" (fastText adds a trailing space; both are read)
//   binary  "word " then D little-endian float32 (gensim writes no newline after the vector;
//           word2vec.c writes one; both are read)
import Foundation

/// Layouts of a word-vector file.
///
/// ```swift
/// try vectors.save(path: "v.bin", format: .word2vecBinary)
/// ```
public enum WordVectorFormat: String, Sendable, CaseIterable {
  /// word2vec / gensim text (also fastText's `.vec`).
  case word2vecText = "text"
  /// word2vec / gensim binary.
  case word2vecBinary = "binary"

  /// `.bin` → binary, anything else → text.
  public static func guess(path: String) -> WordVectorFormat {
    path.hasSuffix(".bin") ? .word2vecBinary : .word2vecText
  }
}

extension WordVectors {
  /// Writes the vectors atomically (temporary file, then rename).
  public func save(path: String, format: WordVectorFormat) throws {
    var out: [UInt8] = []
    out.reserveCapacity(count * (dimension * (format == .word2vecBinary ? 4 : 12) + 16))
    out += Array("\(count) \(dimension)\n".utf8)
    for (r, word) in words.enumerated() {
      out += Array(word.utf8)
      let row = vectors[(r * dimension)..<((r + 1) * dimension)]
      switch format {
      case .word2vecBinary:
        out.append(0x20)
        for value in row { withUnsafeBytes(of: value.bitPattern.littleEndian) { out += $0 } }
      case .word2vecText:
        for value in row {
          out.append(0x20)
          out += Array(value.description.utf8)
        }
        out.append(0x0A)
      }
    }
    try writeAtomically(out, path: path)
  }

  /// Reads a word2vec text or binary file (`format` nil: binary when the name ends in `.bin`).
  public static func load(path: String, format: WordVectorFormat? = nil) throws -> WordVectors {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw EmbeddingsError.unreadable(path: path, reason: "no such file or not readable")
    }
    let bytes = [UInt8](data)
    switch format ?? .guess(path: path) {
    case .word2vecText: return try parseText(bytes, path: path)
    case .word2vecBinary: return try parseBinary(bytes, path: path)
    }
  }

  /// Parses the header line; returns (count, dimension, offset after the newline).
  static func parseHeader(_ bytes: [UInt8], path: String) throws -> (Int, Int, Int) {
    guard let newline = bytes.firstIndex(of: 0x0A) else {
      throw EmbeddingsError.malformed(
        path: path, location: "line 1", reason: "no header line 'count dim'")
    }
    let fields = String(decoding: bytes[..<newline], as: UTF8.self)
      .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
    guard fields.count == 2, let v = Int(fields[0]), let d = Int(fields[1]), v >= 0, d > 0 else {
      throw EmbeddingsError.malformed(
        path: path, location: "line 1",
        reason:
          "header must be two positive integers 'count dim', found '\(fields.joined(separator: " "))'"
      )
    }
    return (v, d, newline + 1)
  }

  static func parseText(_ bytes: [UInt8], path: String) throws -> WordVectors {
    let (v, d, start) = try parseHeader(bytes, path: path)
    var words: [String] = []
    words.reserveCapacity(v)
    var vectors = [Float](repeating: 0, count: v * d)
    var line = 1
    var i = start
    let n = bytes.count
    try bytes.withUnsafeBufferPointer { b in
      while words.count < v {
        line += 1
        guard i < n else {
          throw EmbeddingsError.malformed(
            path: path, location: "line \(line)",
            reason: "file ends after \(words.count) of \(v) vectors (truncated?)")
        }
        var end = i
        while end < n && b[end] != 0x0A { end += 1 }
        // Fields are separated by single spaces; trailing spaces / "\r" are ignored.
        var stop = end
        while stop > i && (b[stop - 1] == 0x20 || b[stop - 1] == 0x0D) { stop -= 1 }
        var fieldStart = i
        while fieldStart < stop && b[fieldStart] != 0x20 { fieldStart += 1 }
        let word = String(decoding: UnsafeBufferPointer(rebasing: b[i..<fieldStart]), as: UTF8.self)
        if word.isEmpty {
          throw EmbeddingsError.malformed(
            path: path, location: "line \(line)", reason: "empty word")
        }
        var k = 0
        var p = fieldStart
        while p < stop {
          p += 1  // the space
          var q = p
          while q < stop && b[q] != 0x20 { q += 1 }
          if k >= d {
            var extra = k + 1
            var r = q
            while r < stop {
              if b[r] == 0x20 { extra += 1 }
              r += 1
            }
            throw EmbeddingsError.dimensionMismatch(
              path: path, location: "line \(line)", expected: d, found: extra)
          }
          guard let value = parseFloat(b, p, q) else {
            let text = String(decoding: UnsafeBufferPointer(rebasing: b[p..<q]), as: UTF8.self)
            throw EmbeddingsError.malformed(
              path: path, location: "line \(line)", reason: "'\(text)' is not a number")
          }
          vectors[words.count * d + k] = value
          k += 1
          p = q
        }
        if k != d {
          throw EmbeddingsError.dimensionMismatch(
            path: path, location: "line \(line)", expected: d, found: k)
        }
        words.append(word)
        i = end + 1
      }
    }
    return WordVectors(words: words, dimension: d, vectors: vectors)
  }

  static func parseBinary(_ bytes: [UInt8], path: String) throws -> WordVectors {
    let (v, d, start) = try parseHeader(bytes, path: path)
    var words: [String] = []
    words.reserveCapacity(v)
    var vectors = [Float](repeating: 0, count: v * d)
    var i = start
    let n = bytes.count
    try bytes.withUnsafeBufferPointer { b in
      while words.count < v {
        while i < n && b[i] == 0x0A { i += 1 }  // word2vec.c's newline after each vector
        var space = i
        while space < n && b[space] != 0x20 { space += 1 }
        guard space < n else {
          throw EmbeddingsError.malformed(
            path: path, location: "byte \(i)",
            reason: "file ends after \(words.count) of \(v) vectors (truncated?)")
        }
        guard space > i else {
          throw EmbeddingsError.malformed(path: path, location: "byte \(i)", reason: "empty word")
        }
        let need = d * 4
        guard space + 1 + need <= n else {
          throw EmbeddingsError.malformed(
            path: path, location: "byte \(space + 1)",
            reason: "file ends inside the vector of word \(words.count + 1) of \(v) "
              + "(needs \(need) bytes, \(n - space - 1) left; truncated?)")
        }
        words.append(String(decoding: UnsafeBufferPointer(rebasing: b[i..<space]), as: UTF8.self))
        let base = words.count - 1
        UnsafeRawPointer(b.baseAddress! + space + 1).withMemoryRebound(
          to: UInt8.self, capacity: need
        ) {
          raw in
          for k in 0..<d {
            let bits =
              UInt32(raw[4 * k]) | UInt32(raw[4 * k + 1]) << 8 | UInt32(raw[4 * k + 2]) << 16
              | UInt32(raw[4 * k + 3]) << 24
            vectors[base * d + k] = Float(bitPattern: bits)
          }
        }
        i = space + 1 + need
      }
    }
    return WordVectors(words: words, dimension: d, vectors: vectors)
  }
}

/// Parses a decimal float in `b[from..<to]`; nil unless the whole field is a number.
func parseFloat(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Float? {
  guard to > from, to - from < 64 else { return nil }
  var buffer = [CChar](repeating: 0, count: to - from + 1)
  for k in from..<to { buffer[k - from] = CChar(bitPattern: b[k]) }
  return buffer.withUnsafeMutableBufferPointer { p -> Float? in
    var end: UnsafeMutablePointer<CChar>? = nil
    let value = strtof(p.baseAddress!, &end)
    return end == p.baseAddress! + (to - from) ? value : nil
  }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`.
func writeAtomically(_ bytes: [UInt8], path: String) throws {
  do {
    try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
  } catch {
    throw EmbeddingsError.unreadable(
      path: path, reason: "cannot write: \(error.localizedDescription)")
  }
}
