#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Streams lines from a plain or gzip file (detected by its magic bytes), standard input, or any
/// `ByteSource`, without loading the whole input. Lines end at `\n`; a trailing `\r` is dropped;
/// a last line without `\n` is returned; an empty input has no lines.
///
///     let reader = try LineReader(path: "../shared/data/lm-gutenberg/train.txt.gz")
///     while let line = try reader.next() { print(line) }
///
/// Invalid UTF-8 becomes U+FFFD; each occurrence is recorded in `invalidUTF8` (line and byte
/// offset in the decoded stream) or thrown when `strictUTF8` is set. Lines longer than
/// `maxLineBytes` follow `longLines`, so memory stays bounded. A class: it owns its buffer and the
/// source's position; not thread-safe.
public final class LineReader {
  /// What to do with a line longer than `maxLineBytes`.
  public enum LongLinePolicy: Sendable {
    /// Throw `TextInputError.Kind.lineTooLong` naming file and line.
    case fail
    /// Deliver the line in pieces of at most `maxLineBytes` (cut at a UTF-8 character boundary).
    case split
    /// Deliver the first `maxLineBytes` bytes and skip the rest of the line.
    case truncate
  }

  /// Where invalid UTF-8 was found: 1-based line and 0-based byte offset in the decoded stream.
  public struct InvalidUTF8: Sendable, Equatable {
    public var line: Int
    public var byteOffset: Int
  }

  public let name: String
  /// Whether the input was gzip-compressed (detected from the first two bytes).
  public let isGzip: Bool
  public let maxLineBytes: Int
  public let longLines: LongLinePolicy
  public let strictUTF8: Bool
  /// The first 100 invalid UTF-8 occurrences; `invalidUTF8Count` counts all lines affected.
  public private(set) var invalidUTF8: [InvalidUTF8] = []
  public private(set) var invalidUTF8Count = 0
  /// Lines delivered so far (pieces of a split line count once).
  public private(set) var lineNumber = 0

  var source: any ByteSource
  var buffer: UnsafeMutablePointer<UInt8>
  var capacity: Int
  var start = 0
  var end = 0
  var scanFrom = 0
  /// Decoded-stream offset of buffer[0].
  var base = 0
  var sourceEnded = false
  /// Inside a line being skipped (`.truncate`) or continued (`.split`).
  var skippingRest = false
  var continuing = false

  /// Opens `path` (`-` for standard input); gzip is detected from the magic bytes 1f 8b.
  public convenience init(
    path: String, maxLineBytes: Int = 1 << 26, longLines: LongLinePolicy = .fail,
    strictUTF8: Bool = false
  ) throws {
    let file = path == "-" ? FileByteSource.standardInput() : try FileByteSource(path: path)
    let gzip = try file.peek(2) == [0x1F, 0x8B]
    self.init(
      source: gzip ? GzipDecoder(source: file) as any ByteSource : file, isGzip: gzip,
      maxLineBytes: maxLineBytes, longLines: longLines, strictUTF8: strictUTF8)
  }

  /// Reads lines from an already decoded byte source.
  public init(
    source: any ByteSource, isGzip: Bool = false, maxLineBytes: Int = 1 << 26,
    longLines: LongLinePolicy = .fail, strictUTF8: Bool = false
  ) {
    precondition(maxLineBytes >= 4, "maxLineBytes must be at least 4, received \(maxLineBytes)")
    self.source = source
    self.name = source.name
    self.isGzip = isGzip
    self.maxLineBytes = maxLineBytes
    self.longLines = longLines
    self.strictUTF8 = strictUTF8
    capacity = min(1 << 20, maxLineBytes + 1)
    buffer = .allocate(capacity: capacity)
  }

  deinit { buffer.deallocate() }

  /// The next line as a `String`, or nil at the end.
  public func next() throws -> String? {
    try withNextLine { bytes, offset in try decode(bytes, offset: offset) }
  }

  /// All remaining lines (for small inputs).
  public func readAll() throws -> [String] {
    var lines: [String] = []
    while let line = try next() { lines.append(line) }
    return lines
  }

  /// Calls `body` with the raw bytes of the next line (no `\n`, no trailing `\r`) and its offset
  /// in the decoded stream; the bytes are valid only inside `body`. Returns nil at the end.
  public func withNextLine<R>(
    _ body: (UnsafeBufferPointer<UInt8>, _ byteOffset: Int) throws -> R
  ) throws -> R? {
    while true {
      if let nl = findNewline() {
        let lineStart = start
        var lineEnd = nl
        start = nl + 1
        scanFrom = start
        if skippingRest {
          skippingRest = false
          continue
        }
        if lineEnd > lineStart, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        if !continuing { lineNumber += 1 }
        continuing = false
        return try body(
          UnsafeBufferPointer(start: buffer + lineStart, count: lineEnd - lineStart),
          base + lineStart)
      }
      if end - start > maxLineBytes {
        if let piece = try longLine(body) { return piece }
        continue
      }
      if sourceEnded {
        guard start < end else { return nil }
        let lineStart = start
        start = end
        scanFrom = end
        if skippingRest {
          skippingRest = false
          return nil
        }
        if !continuing { lineNumber += 1 }
        continuing = false
        return try body(
          UnsafeBufferPointer(start: buffer + lineStart, count: end - lineStart), base + lineStart)
      }
      try fill()
    }
  }

  func findNewline() -> Int? {
    guard scanFrom < end else { return nil }
    if let p = memchr(buffer + scanFrom, 0x0A, end - scanFrom) {
      return buffer.distance(to: p.assumingMemoryBound(to: UInt8.self))
    }
    scanFrom = end
    return nil
  }

  func longLine<R>(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> R) throws -> R? {
    switch longLines {
    case .fail:
      throw TextInputError(
        .lineTooLong, file: name, line: lineNumber + 1, byteOffset: base + start,
        reason: "line is longer than maxLineBytes (\(maxLineBytes) bytes)",
        fix: "raise maxLineBytes, or pass longLines: .split or .truncate")
    case .truncate:
      if skippingRest {
        start = end
        scanFrom = end
        return nil
      }
      skippingRest = true
      let lineStart = start
      start = end
      scanFrom = end
      lineNumber += 1
      return try body(
        UnsafeBufferPointer(start: buffer + lineStart, count: maxLineBytes), base + lineStart)
    case .split:
      // Cut before a UTF-8 continuation byte so characters stay whole.
      var cut = start + maxLineBytes
      var back = 0
      while back < 3, cut > start + 1, buffer[cut] & 0xC0 == 0x80 {
        cut -= 1
        back += 1
      }
      let lineStart = start
      start = cut
      scanFrom = cut
      if !continuing { lineNumber += 1 }
      continuing = true
      return try body(
        UnsafeBufferPointer(start: buffer + lineStart, count: cut - lineStart), base + lineStart)
    }
  }

  /// Moves the partial line to the front, grows the buffer up to `maxLineBytes + 1` if needed,
  /// and reads more input.
  func fill() throws {
    if start > 0 {
      let keep = end - start
      if keep > 0 {
        UnsafeMutableRawPointer(buffer).copyMemory(from: buffer + start, byteCount: keep)
      }
      base += start
      scanFrom -= start
      start = 0
      end = keep
    }
    if end == capacity {
      let newCapacity = min(capacity * 2, maxLineBytes + 1)
      let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
      grown.update(from: buffer, count: end)
      buffer.deallocate()
      buffer = grown
      capacity = newCapacity
    }
    let n = try source.read(
      into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
    if n == 0 { sourceEnded = true }
    end += n
  }

  func decode(_ bytes: UnsafeBufferPointer<UInt8>, offset: Int) throws -> String {
    if let s = String(validating: bytes, as: UTF8.self) { return s }
    let bad = firstInvalidUTF8(bytes)
    if strictUTF8 {
      throw TextInputError(
        .invalidUTF8, file: name, line: lineNumber, byteOffset: offset + bad,
        reason: "invalid UTF-8 (byte \(hex(Int(bytes[bad]))))",
        fix: "convert the file to UTF-8 (iconv -f <encoding> -t UTF-8), or read without strictUTF8")
    }
    invalidUTF8Count += 1
    if invalidUTF8.count < 100 {
      invalidUTF8.append(InvalidUTF8(line: lineNumber, byteOffset: offset + bad))
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// Index of the first byte that starts an invalid UTF-8 sequence (bytes.count if all valid).
func firstInvalidUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Int {
  var i = 0
  let n = b.count
  while i < n {
    let c = b[i]
    if c < 0x80 {
      i += 1
      continue
    }
    var need = 0
    var lo: UInt8 = 0x80
    var hi: UInt8 = 0xBF
    switch c {
    case 0xC2...0xDF: need = 1
    case 0xE0:
      need = 2
      lo = 0xA0
    case 0xE1...0xEC, 0xEE...0xEF: need = 2
    case 0xED:
      need = 2
      hi = 0x9F
    case 0xF0:
      need = 3
      lo = 0x90
    case 0xF1...0xF3: need = 3
    case 0xF4:
      need = 3
      hi = 0x8F
    default: return i
    }
    guard i + need < n, b[i + 1] >= lo, b[i + 1] <= hi else { return i }
    for k in 2...max(2, need) where k <= need {
      if b[i + k] & 0xC0 != 0x80 { return i }
    }
    i += need + 1
  }
  return n
}
