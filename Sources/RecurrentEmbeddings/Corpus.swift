// The training corpus in memory: one sentence per line, words split on whitespace, as gensim's
// `LineSentence` reads it (Python's `str.split()` whitespace, lines longer than 10,000 words cut
// into pieces). Tokens are kept as ids into a table of distinct words so that the vocabulary can
// be chosen afterwards without reading the text again.
import Foundation
import RecurrentText

/// A tokenized corpus: distinct words with counts and every token as an id, grouped in sentences.
///
/// ```swift
/// let corpus = EmbeddingCorpus(text: Array("the cat sat\nthe dog".utf8))
/// corpus.tokenCount  // 5
/// ```
public struct EmbeddingCorpus: Sendable {
  /// Distinct words in order of first appearance.
  public private(set) var words: [String] = []
  /// Occurrences of each entry of `words`.
  public private(set) var counts: [Int] = []
  /// Every token as an index into `words`, sentence after sentence.
  public private(set) var tokens: [Int32] = []
  /// `sentenceStarts[s] ..< sentenceStarts[s + 1]` are the tokens of sentence `s`.
  public private(set) var sentenceStarts: [Int] = [0]
  /// For every newline byte, the number of tokens before it (fastText reads each newline as an
  /// end-of-line token `</s>`, empty lines included).
  public private(set) var lineEnds: [Int] = []

  /// Number of tokens (gensim's "raw words").
  public var tokenCount: Int { tokens.count }
  /// Number of sentences.
  public var sentenceCount: Int { sentenceStarts.count - 1 }

  /// Tokenizes UTF-8 text: lines are sentences, longer ones cut every `maxSentenceLength` words.
  public init(text: [UInt8], maxSentenceLength: Int = 10_000) {
    precondition(maxSentenceLength > 0, "maxSentenceLength must be positive")
    var table = ByteStringTable()
    tokens.reserveCapacity(text.count / 5)
    text.withUnsafeBufferPointer { buffer in
      let n = buffer.count
      var i = 0
      var inSentence = 0
      while i < n {
        let b = buffer[i]
        if b == 0x0A {  // newline ends the sentence
          lineEnds.append(tokens.count)
          if inSentence > 0 { sentenceStarts.append(tokens.count) }
          inSentence = 0
          i += 1
          continue
        }
        let ws = whitespaceLength(buffer, i)
        if ws > 0 {
          i += ws
          continue
        }
        var j = i + 1
        while j < n && buffer[j] != 0x0A && whitespaceLength(buffer, j) == 0 { j += 1 }
        let id = table.insert(UnsafeBufferPointer(rebasing: buffer[i..<j]))
        if id == counts.count { counts.append(0) }
        counts[id] += 1
        tokens.append(Int32(id))
        inSentence += 1
        if inSentence == maxSentenceLength {
          sentenceStarts.append(tokens.count)
          inSentence = 0
        }
        i = j
      }
      if inSentence > 0 { sentenceStarts.append(tokens.count) }
    }
    words = table.strings()
  }

  /// Reads a corpus file (UTF-8 text, or gzip).
  public static func load(path: String, maxSentenceLength: Int = 10_000) throws -> EmbeddingCorpus {
    EmbeddingCorpus(text: try CorpusFile.readAll(path: path), maxSentenceLength: maxSentenceLength)
  }

  /// The tokens re-encoded through `mapping` (corpus word id → new id, negative to drop).
  func encoded(with mapping: [Int32]) -> (tokens: [Int32], sentenceStarts: [Int]) {
    var out: [Int32] = []
    out.reserveCapacity(tokens.count)
    var starts = [0]
    for s in 0..<sentenceCount {
      for t in sentenceStarts[s]..<sentenceStarts[s + 1] {
        let id = mapping[Int(tokens[t])]
        if id >= 0 { out.append(id) }
      }
      if out.count > starts[starts.count - 1] { starts.append(out.count) }
    }
    return (out, starts)
  }
}

/// Length in bytes of the Python `str.split()` whitespace character at `i`, or 0.
@inline(__always)
func whitespaceLength(_ s: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
  let b = s[i]
  if b < 0x80 {
    // \t \n \v \f \r, the file/group/record/unit separators 0x1C–0x1F, and space.
    return (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x20 && b != 0x21) ? 1 : 0
  }
  let n = s.count
  if b == 0xC2, i + 1 < n, s[i + 1] == 0x85 || s[i + 1] == 0xA0 { return 2 }
  guard i + 2 < n else { return 0 }
  let b1 = s[i + 1]
  let b2 = s[i + 2]
  switch b {
  case 0xE1: return b1 == 0x9A && b2 == 0x80 ? 3 : 0  // U+1680
  case 0xE2:
    if b1 == 0x80 && (b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF) { return 3 }
    return b1 == 0x81 && b2 == 0x9F ? 3 : 0  // U+205F
  case 0xE3: return b1 == 0x80 && b2 == 0x80 ? 3 : 0  // U+3000
  default: return 0
  }
}

/// Reads whole corpus files; gzip (detected from the magic bytes 1f 8b) is decoded with
/// RecurrentText's streaming `GzipDecoder`, whose errors name the file and compressed offset.
enum CorpusFile {
  static func readAll(path: String) throws -> [UInt8] {
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw EmbeddingsError.unreadable(path: path, reason: "no such file or not readable")
    }
    let file = try FileByteSource(path: path)
    let gzip = try file.peek(2) == [0x1F, 0x8B]
    var source: any ByteSource = gzip ? GzipDecoder(source: file) : file
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
      if n == 0 { break }
      bytes += chunk[0..<n]
    }
    return bytes
  }
}

/// Open-addressing table of distinct byte strings (FNV-1a hashed): ids in order of insertion.
struct ByteStringTable {
  private var arena: [UInt8] = []
  private var offsets: [Int] = [0]
  private var slots: [Int32] = Array(repeating: -1, count: 1 << 16)
  private var hashes: [UInt64] = []

  var count: Int { offsets.count - 1 }

  static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in key { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    return h
  }

  /// Id of `key`, inserting it when new.
  mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> Int {
    let h = Self.hash(key)
    var mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: h) & mask
    while true {
      let id = Int(slots[slot])
      if id < 0 { break }
      if hashes[id] == h && equal(id, key) { return id }
      slot = (slot + 1) & mask
    }
    let id = count
    arena.append(contentsOf: key)
    offsets.append(arena.count)
    hashes.append(h)
    slots[slot] = Int32(id)
    if count * 2 > slots.count {
      slots = Array(repeating: -1, count: slots.count * 2)
      mask = slots.count - 1
      for (i, hh) in hashes.enumerated() {
        var s = Int(truncatingIfNeeded: hh) & mask
        while slots[s] >= 0 { s = (s + 1) & mask }
        slots[s] = Int32(i)
      }
    }
    return id
  }

  private func equal(_ id: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
    let start = offsets[id]
    let length = offsets[id + 1] - start
    guard length == key.count else { return false }
    return arena.withUnsafeBufferPointer { a in
      memcmp(a.baseAddress! + start, key.baseAddress!, length) == 0
    }
  }

  func strings() -> [String] {
    arena.withUnsafeBufferPointer { a in
      (0..<count).map { i in
        String(
          decoding: UnsafeBufferPointer(rebasing: a[offsets[i]..<offsets[i + 1]]), as: UTF8.self)
      }
    }
  }
}
