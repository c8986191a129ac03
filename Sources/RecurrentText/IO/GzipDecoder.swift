/// Streams the decompressed bytes of a gzip file: RFC 1952 members (several members are read one
/// after the other, as `zcat` does) holding DEFLATE data (RFC 1951: stored, fixed and dynamic
/// Huffman blocks). Each member's CRC-32 and length are checked.
///
///     let gz = GzipDecoder(source: try FileByteSource(path: "train.txt.gz"))
///     var chunk = [UInt8](repeating: 0, count: 1 << 16)
///     while case let n = try chunk.withUnsafeMutableBytes({ try gz.read(into: $0) }), n > 0 { … }
///
/// A class because it owns its buffers (32 KiB history window, input buffer, Huffman tables) and
/// is consumed in place; it is not thread-safe. Errors are `TextInputError`s naming the file and
/// the byte offset in the *compressed* file.
public final class GzipDecoder: ByteSource {
  public let name: String
  var source: any ByteSource

  // Input: bytes [inPos, inEnd) of inBuf not yet moved into the bit buffer.
  static var inCapacity: Int { 1 << 16 }
  let inBuf: UnsafeMutablePointer<UInt8>
  var inPos = 0
  var inEnd = 0
  var sourceEnded = false
  /// Compressed-file offset of inBuf[0].
  var inBase = 0

  // Bits: the low `bitCount` bits of bitBuf are the next input bits (LSB first). bitCount may go
  // negative after reading past the end of input: that is detected at the next refill.
  var bitBuf: UInt64 = 0
  var bitCount = 0

  // Output window: [0, outPos) holds produced bytes; [readPos, outPos) not yet handed out.
  static var windowSize: Int { 1 << 18 }
  static var history: Int { 1 << 15 }
  let window: UnsafeMutablePointer<UInt8>
  var outPos = 0
  var readPos = 0
  /// Lowest window index a back-reference may reach (the start of the current member).
  var memberFloor = 0
  var crcPos = 0
  var crc = CRC32()
  var memberSize = 0

  enum Phase { case memberHeader, blockHeader, stored(Int), codes, afterMember, done }
  var phase = Phase.memberHeader
  var lastBlock = false
  var membersRead = 0
  var pendingError: (any Error)?

  let fixedLit = HuffmanTable()
  let fixedDist = HuffmanTable()
  let dynLit = HuffmanTable()
  let dynDist = HuffmanTable()
  let lengthScratch: UnsafeMutablePointer<UInt8>
  var useFixed = false

  /// Length and distance symbols as `base << 8 | extraBits` (RFC 1951 §3.2.5).
  let lengthCodes: UnsafeMutablePointer<UInt32>
  let distanceCodes: UnsafeMutablePointer<UInt32>

  public init(source: some ByteSource) {
    self.source = source
    name = source.name
    lengthCodes = .allocate(capacity: 29)
    distanceCodes = .allocate(capacity: 30)
    for i in 0..<29 {
      lengthCodes[i] = UInt32(Self.lengthBase[i]) << 8 | UInt32(Self.lengthExtra[i])
    }
    for i in 0..<30 {
      distanceCodes[i] = UInt32(Self.distBase[i]) << 8 | UInt32(Self.distExtra[i])
    }
    inBuf = .allocate(capacity: Self.inCapacity + 8)
    window = .allocate(capacity: Self.windowSize + 600)
    lengthScratch = .allocate(capacity: 320)
    for i in 0..<144 { lengthScratch[i] = 8 }
    for i in 144..<256 { lengthScratch[i] = 9 }
    for i in 256..<280 { lengthScratch[i] = 7 }
    for i in 280..<288 { lengthScratch[i] = 8 }
    _ = fixedLit.build(lengths: lengthScratch, count: 288)
    for i in 0..<30 { lengthScratch[i] = 5 }
    _ = fixedDist.build(lengths: lengthScratch, count: 30)
  }

  deinit {
    inBuf.deallocate()
    window.deallocate()
    lengthScratch.deallocate()
    lengthCodes.deallocate()
    distanceCodes.deallocate()
    for t in [fixedLit, fixedDist, dynLit, dynDist] { t.deallocate() }
  }

  /// Decompresses a whole gzip byte array (small inputs and tests).
  public static func decompress(_ bytes: [UInt8], name: String = "<memory>") throws -> [UInt8] {
    let gz = GzipDecoder(source: MemoryByteSource(bytes, name: name))
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = try chunk.withUnsafeMutableBytes { try gz.read(into: $0) }
      if n == 0 { break }
      out += chunk[0..<n]
    }
    return out
  }

  // MARK: - Output

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    guard buffer.count > 0 else { return 0 }
    while readPos == outPos {
      if let pendingError {
        throw pendingError
      }
      if case .done = phase { return 0 }
      do {
        try produce()
      } catch {
        // Hand out what was decoded before the damage first, so a streaming reader gets every
        // line before the error; the error comes with the next read.
        guard outPos > readPos else { throw error }
        pendingError = error
      }
    }
    let n = min(buffer.count, outPos - readPos)
    buffer.baseAddress!.copyMemory(from: window + readPos, byteCount: n)
    readPos += n
    return n
  }

  /// Decodes until some output is available or the stream ends.
  func produce() throws {
    if outPos >= Self.windowSize - 300 {
      // Everything was handed out: keep the last 32 KiB as history for back-references.
      updateCRC()
      let keep = min(Self.history, outPos)
      let shift = outPos - keep
      if shift > 0 {
        UnsafeMutableRawPointer(window).copyMemory(from: window + shift, byteCount: keep)
        outPos = keep
        readPos = keep
        crcPos = keep
        memberFloor = max(0, memberFloor - shift)
      }
    }
    let limit = Self.windowSize - 300
    while outPos == readPos {
      switch phase {
      case .done: return
      case .memberHeader:
        try readMemberHeader()
      case .blockHeader:
        if lastBlock {
          try finishMember()
        } else {
          try readBlockHeader()
        }
      case .stored(let remaining):
        try copyStored(remaining, limit: limit)
      case .codes:
        if try inflateCodes(limit: limit) { phase = .blockHeader }
      case .afterMember:
        try startNextMemberOrEnd()
      }
    }
  }

  func updateCRC() {
    if outPos > crcPos {
      crc.update(window + crcPos, count: outPos - crcPos)
      memberSize &+= outPos - crcPos
      crcPos = outPos
    }
  }

  // MARK: - Input bits

  /// Compressed-file offset of the next unread byte.
  var byteOffset: Int { inBase + inPos - max(0, bitCount) / 8 }

  func error(_ kind: TextInputError.Kind, _ reason: String, at offset: Int? = nil)
    -> TextInputError
  {
    let fix: String
    switch kind {
    case .truncated:
      fix = "the file is cut short; download or copy it again (gzip -t checks it)"
    case .notGzip: fix = "pass an uncompressed file without the .gz reader, or a real gzip file"
    default: fix = "the file is damaged; download or copy it again (gzip -t checks it)"
    }
    return TextInputError(
      kind, file: name, byteOffset: offset ?? byteOffset, reason: reason, fix: fix)
  }

  /// Moves unread input to the front of the buffer and reads more from the source.
  func fillInput() throws {
    if sourceEnded { return }
    let keep = inEnd - inPos
    if inPos > 0 {
      if keep > 0 {
        UnsafeMutableRawPointer(inBuf).copyMemory(from: inBuf + inPos, byteCount: keep)
      }
      inBase += inPos
      inPos = 0
      inEnd = keep
    }
    while inEnd < Self.inCapacity {
      let n = try source.read(
        into: UnsafeMutableRawBufferPointer(start: inBuf + inEnd, count: Self.inCapacity - inEnd))
      if n == 0 {
        sourceEnded = true
        break
      }
      inEnd += n
      if inEnd - inPos >= 16 { break }
    }
  }

  /// Tops the bit buffer up to at least 56 bits when input remains; throws if an earlier read
  /// already went past the end.
  func refillSlow() throws {
    if bitCount < 0 { throw error(.truncated, "unexpected end of compressed data") }
    bitBuf &= bitCount == 0 ? 0 : (UInt64.max >> UInt64(64 - bitCount))
    while bitCount <= 56 {
      if inPos == inEnd {
        try fillInput()
        if inPos == inEnd { return }
      }
      bitBuf |= UInt64(inBuf[inPos]) << UInt64(bitCount)
      inPos += 1
      bitCount += 8
    }
  }

  func bits(_ n: Int) throws -> Int {
    if bitCount < n {
      try refillSlow()
      if bitCount < n { throw error(.truncated, "unexpected end of compressed data") }
    }
    let v = Int(bitBuf & ((1 << UInt64(n)) - 1))
    bitBuf >>= UInt64(n)
    bitCount -= n
    return v
  }

  func alignToByte() {
    let drop = bitCount & 7
    bitBuf >>= UInt64(drop)
    bitCount -= drop
  }

  /// Whether any input byte remains (after the current position).
  func hasMoreInput() throws -> Bool {
    if bitCount >= 8 { return true }
    if inPos < inEnd { return true }
    try fillInput()
    return inPos < inEnd
  }

  // MARK: - gzip framing (RFC 1952)

  func readMemberHeader() throws {
    let start = byteOffset
    let id1 = try bits(8)
    let id2 = try bits(8)
    guard id1 == 0x1F, id2 == 0x8B else {
      throw error(
        .notGzip,
        "not a gzip stream (magic bytes \(hex(id1)) \(hex(id2)), expected 1f 8b)", at: start)
    }
    let method = try bits(8)
    guard method == 8 else {
      throw error(.corrupt, "unsupported compression method \(method) (only 8, deflate)", at: start)
    }
    let flags = try bits(8)
    guard flags & 0xE0 == 0 else {
      throw error(.corrupt, "reserved gzip header flags set (\(hex(flags)))", at: start + 3)
    }
    _ = try bits(32)  // modification time
    _ = try bits(16)  // extra flags, operating system
    if flags & 0x04 != 0 {  // FEXTRA
      let xlen = try bits(16)
      for _ in 0..<xlen { _ = try bits(8) }
    }
    if flags & 0x08 != 0 { while try bits(8) != 0 {} }  // FNAME
    if flags & 0x10 != 0 { while try bits(8) != 0 {} }  // FCOMMENT
    if flags & 0x02 != 0 { _ = try bits(16) }  // FHCRC
    updateCRC()
    crc = CRC32()
    memberSize = 0
    memberFloor = outPos
    lastBlock = false
    phase = .blockHeader
  }

  func finishMember() throws {
    updateCRC()
    alignToByte()
    let at = byteOffset
    let expected = UInt32(try bits(32))
    let size = UInt32(try bits(32))
    guard expected == crc.value else {
      throw error(
        .checksumMismatch,
        "CRC-32 mismatch in gzip member \(membersRead + 1): stored \(hex32(expected)), "
          + "computed \(hex32(crc.value))", at: at)
    }
    guard size == UInt32(truncatingIfNeeded: memberSize) else {
      throw error(
        .lengthMismatch,
        "length mismatch in gzip member \(membersRead + 1): stored \(size), "
          + "decompressed \(memberSize) (mod 2^32)", at: at + 4)
    }
    membersRead += 1
    phase = .afterMember
  }

  func startNextMemberOrEnd() throws {
    if try hasMoreInput() {
      let at = byteOffset
      if bitCount < 16 { try refillSlow() }
      if bitCount >= 16, bitBuf & 0xFFFF == 0x8B1F {
        phase = .memberHeader
      } else {
        throw TextInputError(
          .trailingGarbage, file: name, byteOffset: at,
          reason: "bytes after the end of gzip member \(membersRead) are not another gzip member",
          fix: "strip the trailing bytes (zcat ignores them with a warning)")
      }
    } else {
      phase = .done
    }
  }

  // MARK: - DEFLATE blocks (RFC 1951)

  func readBlockHeader() throws {
    lastBlock = try bits(1) == 1
    let type = try bits(2)
    switch type {
    case 0:
      alignToByte()
      let len = try bits(16)
      let nlen = try bits(16)
      guard len == (~nlen & 0xFFFF) else {
        throw error(.corrupt, "stored block length \(len) does not match its complement")
      }
      phase = .stored(len)
    case 1:
      useFixed = true
      phase = .codes
    case 2:
      try readDynamicTables()
      useFixed = false
      phase = .codes
    default:
      throw error(.corrupt, "invalid DEFLATE block type 3")
    }
  }

  func copyStored(_ remaining: Int, limit: Int) throws {
    var left = remaining
    // Whole bytes still in the bit buffer come first.
    while left > 0, bitCount >= 8, outPos < limit {
      window[outPos] = UInt8(truncatingIfNeeded: bitBuf)
      bitBuf >>= 8
      bitCount -= 8
      outPos += 1
      left -= 1
    }
    if bitCount == 0 { bitBuf = 0 }
    while left > 0, outPos < limit {
      if inPos == inEnd {
        try fillInput()
        if inPos == inEnd { throw error(.truncated, "unexpected end of data in a stored block") }
      }
      let n = min(left, inEnd - inPos, limit - outPos)
      UnsafeMutableRawPointer(window + outPos).copyMemory(from: inBuf + inPos, byteCount: n)
      inPos += n
      outPos += n
      left -= n
    }
    phase = left == 0 ? .blockHeader : .stored(left)
  }

  static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

  func readDynamicTables() throws {
    let nlen = try bits(5) + 257
    let ndist = try bits(5) + 1
    let ncode = try bits(4) + 4
    guard nlen <= 286, ndist <= 30 else {
      throw error(.corrupt, "dynamic block declares too many codes (\(nlen), \(ndist))")
    }
    let lengths = lengthScratch
    for i in 0..<19 { lengths[i] = 0 }
    for i in 0..<ncode { lengths[Self.codeLengthOrder[i]] = UInt8(try bits(3)) }
    // The code-length code reuses dynDist's storage: it is rebuilt right after.
    let clTable = dynDist
    guard clTable.build(lengths: lengths, count: 19) else {
      throw error(.corrupt, "over-subscribed code-length code")
    }
    var all = [UInt8](repeating: 0, count: nlen + ndist)
    var i = 0
    while i < nlen + ndist {
      let sym = try decodeSymbol(clTable)
      if sym < 16 {
        all[i] = UInt8(sym)
        i += 1
        continue
      }
      var repeatValue: UInt8 = 0
      let count: Int
      switch sym {
      case 16:
        guard i > 0 else { throw error(.corrupt, "repeat of a code length with no previous one") }
        repeatValue = all[i - 1]
        count = 3 + (try bits(2))
      case 17: count = 3 + (try bits(3))
      default: count = 11 + (try bits(7))
      }
      guard i + count <= nlen + ndist else {
        throw error(.corrupt, "code lengths overflow the declared number of codes")
      }
      for _ in 0..<count {
        all[i] = repeatValue
        i += 1
      }
    }
    guard all[256] != 0 else { throw error(.corrupt, "dynamic block has no end-of-block code") }
    try all.withUnsafeBufferPointer { p in
      guard dynLit.build(lengths: p.baseAddress!, count: nlen) else {
        throw error(.corrupt, "over-subscribed literal/length code")
      }
      guard dynDist.build(lengths: p.baseAddress! + nlen, count: ndist) else {
        throw error(.corrupt, "over-subscribed distance code")
      }
    }
  }

  /// Decodes one symbol outside the hot loop (code-length codes).
  func decodeSymbol(_ table: HuffmanTable) throws -> Int {
    if bitCount < HuffmanTable.maxBits { try refillSlow() }
    let e = table.primary[Int(bitBuf & UInt64((1 << HuffmanTable.rootBits) - 1))]
    var sym: Int
    var len: Int
    if e & 15 != 0 {
      sym = Int(e >> 4)
      len = Int(e & 15)
    } else if let (s, l) = table.decodeSlow(bitBuf) {
      sym = s
      len = l
    } else {
      throw error(.corrupt, "invalid Huffman code")
    }
    if len > bitCount { throw error(.truncated, "unexpected end of compressed data") }
    bitBuf >>= UInt64(len)
    bitCount -= len
    return sym
  }

  static let lengthBase: [UInt16] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
  ]
  static let lengthExtra: [UInt8] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
  ]
  static let distBase: [UInt16] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
  ]
  static let distExtra: [UInt8] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
  ]
}

func hex(_ v: Int) -> String {
  let s = String(v, radix: 16)
  return s.count < 2 ? "0" + s : s
}

func hex32(_ v: UInt32) -> String {
  let s = String(v, radix: 16)
  return "0x" + String(repeating: "0", count: 8 - s.count) + s
}
