// Open-addressing hash tables that turn tokens and n-grams into dense integer ids, so the
// vectorizers' hot loops hash bytes once per token and integers afterwards (never `Hasher`, never
// `String` keys). Ids are handed out 0, 1, 2, … in first-seen order: deterministic by construction.

/// FNV-1a 64 over bytes (fastText's hash family): fixed, seedless, platform-independent.
@inline(__always)
func fnv1a64(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
  var h: UInt64 = 0xCBF2_9CE4_8422_2325
  for b in bytes {
    h ^= UInt64(b)
    h = h &* 0x0000_0100_0000_01B3
  }
  return h
}

/// Interns byte strings (UTF-8 tokens) as `Int32` ids in first-seen order. A slot keeps the
/// first 8 bytes, the length and part of the hash beside the id, so a probe for a token of up to
/// 8 bytes (most words) reads one cache line and never touches the byte arena.
struct ByteStringTable: Sendable {
  struct Slot: Sendable {
    /// The first (up to) 8 bytes, little-endian, zero-padded.
    var prefix: UInt64
    /// High 32 bits of the hash with the low byte replaced by min(length, 255).
    var tag: UInt32
    var id: Int32
  }
  /// All interned strings back to back; string `i` is `bytes[starts[i]..<starts[i + 1]]`.
  private(set) var bytes: [UInt8] = []
  private(set) var starts: [Int] = [0]
  private var slots: [Slot]
  private var mask: Int
  private(set) var count = 0

  init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = [Slot](repeating: Slot(prefix: 0, tag: 0, id: -1), count: size)
    mask = size - 1
  }

  /// The string with id `id`.
  func string(_ id: Int) -> String {
    String(decoding: bytes[starts[id]..<starts[id + 1]], as: UTF8.self)
  }

  @inline(__always)
  private static func prefix(_ token: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var p: UInt64 = 0
    for k in 0..<min(token.count, 8) { p |= UInt64(token[k]) << (8 * UInt64(k)) }
    return p
  }

  @inline(__always)
  private static func tag(_ h: UInt64, _ length: Int) -> UInt32 {
    UInt32(truncatingIfNeeded: h >> 32) & 0xFFFF_FF00 | UInt32(min(length, 255))
  }

  @inline(__always)
  private func probe(_ token: UnsafeBufferPointer<UInt8>, _ h: UInt64, _ prefix: UInt64)
    -> (slot: Int, id: Int32)
  {
    var s = Int(truncatingIfNeeded: h) & mask
    let tag = Self.tag(h, token.count)
    return slots.withUnsafeBufferPointer { slots in
      while true {
        let slot = slots[s]
        if slot.id < 0 { return (s, -1) }
        if slot.tag == tag && slot.prefix == prefix
          && (token.count <= 8 || restEqual(Int(slot.id), token))
        {
          return (s, slot.id)
        }
        s = (s + 1) & mask
      }
    }
  }

  /// Whether string `id` equals `token` (a token longer than 8 bytes whose prefix matched).
  private func restEqual(_ id: Int, _ token: UnsafeBufferPointer<UInt8>) -> Bool {
    let start = starts[id]
    guard starts[id + 1] - start == token.count else { return false }
    return bytes.withUnsafeBufferPointer {
      memoryEqual($0.baseAddress! + start, token.baseAddress!, token.count)
    }
  }

  /// The id of `token`, or -1 when it was never interned.
  func find(_ token: UnsafeBufferPointer<UInt8>) -> Int32 {
    probe(token, fnv1a64(token), Self.prefix(token)).id
  }

  /// The id of `token`, interning it first when new.
  mutating func intern(_ token: UnsafeBufferPointer<UInt8>) -> Int32 {
    let h = fnv1a64(token)
    let prefix = Self.prefix(token)
    let (s, found) = probe(token, h, prefix)
    if found >= 0 { return found }
    let id = Int32(count)
    slots[s] = Slot(prefix: prefix, tag: Self.tag(h, token.count), id: id)
    count += 1
    bytes.append(contentsOf: token)
    starts.append(bytes.count)
    if count * 2 > slots.count { grow() }
    return id
  }

  private mutating func grow() {
    let size = slots.count * 2
    var fresh = [Slot](repeating: Slot(prefix: 0, tag: 0, id: -1), count: size)
    mask = size - 1
    bytes.withUnsafeBufferPointer { all in
      for slot in slots where slot.id >= 0 {
        let id = Int(slot.id)
        let h = fnv1a64(UnsafeBufferPointer(rebasing: all[starts[id]..<starts[id + 1]]))
        var s = Int(truncatingIfNeeded: h) & mask
        while fresh[s].id >= 0 { s = (s + 1) & mask }
        fresh[s] = slot
      }
    }
    slots = fresh
  }

}

@inline(__always)
private func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
  for k in 0..<n where a[k] != b[k] { return false }
  return true
}

/// Interns sequences of token ids (n-grams, 1 ≤ n) as `Int32` feature ids in first-seen order.
/// A slot holds a tag and the id side by side, so a probe touches one cache line: for n ≤ 2 the
/// tag *is* the key (`(t1 + 1) << 32 | (t2 + 1)`), longer keys store a hash with the top bit set
/// and are confirmed against the key arena.
struct IDSequenceTable: Sendable {
  struct Slot: Sendable {
    var tag: UInt64
    var id: Int32
  }
  /// All keys back to back; key `i` is `keys[starts[i]..<starts[i + 1]]`.
  private(set) var keys: [Int32] = []
  private(set) var starts: [Int] = [0]
  private var slots: [Slot]
  private var mask: Int
  private(set) var count = 0

  init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = [Slot](repeating: Slot(tag: 0, id: -1), count: size)
    mask = size - 1
  }

  /// The token ids of key `id`.
  func key(_ id: Int) -> ArraySlice<Int32> { keys[starts[id]..<starts[id + 1]] }

  @inline(__always)
  static func tag(_ ids: UnsafeBufferPointer<Int32>) -> UInt64 {
    if ids.count == 1 { return UInt64(UInt32(bitPattern: ids[0]) &+ 1) << 32 }
    if ids.count == 2 {
      return UInt64(UInt32(bitPattern: ids[0]) &+ 1) << 32 | UInt64(UInt32(bitPattern: ids[1]) &+ 1)
    }
    // A multiply–xorshift mix per id (fixed constants), top bit set to mark a hashed tag.
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(ids.count &+ 1)
    for id in ids {
      h = (h ^ UInt64(UInt32(bitPattern: id))) &* 0xBF58_476D_1CE4_E5B9
      h ^= h >> 31
    }
    return h | (1 << 63)
  }

  @inline(__always)
  static func slotIndex(_ tag: UInt64, _ mask: Int) -> Int {
    var h = tag &* 0x9E37_79B9_7F4A_7C15
    h ^= h >> 29
    return Int(truncatingIfNeeded: h) & mask
  }

  /// The id of `ids`, or -1 when never interned.
  func find(_ ids: UnsafeBufferPointer<Int32>) -> Int32 {
    let t = Self.tag(ids)
    var s = Self.slotIndex(t, mask)
    return slots.withUnsafeBufferPointer { slots in
      while true {
        let slot = slots[s]
        if slot.id < 0 { return -1 }
        if slot.tag == t && (ids.count <= 2 || equals(Int(slot.id), ids)) { return slot.id }
        s = (s + 1) & mask
      }
    }
  }

  /// The id of `ids`, interning the sequence first when new.
  mutating func intern(_ ids: UnsafeBufferPointer<Int32>) -> Int32 {
    let t = Self.tag(ids)
    var s = Self.slotIndex(t, mask)
    let mask = self.mask
    let found: Int32 = slots.withUnsafeBufferPointer { slots in
      while true {
        let slot = slots[s]
        if slot.id < 0 { return -1 }
        if slot.tag == t && (ids.count <= 2 || equals(Int(slot.id), ids)) { return slot.id }
        s = (s + 1) & mask
      }
    }
    if found >= 0 { return found }
    let id = Int32(count)
    slots[s] = Slot(tag: t, id: id)
    count += 1
    keys.append(contentsOf: ids)
    starts.append(keys.count)
    if count * 2 > slots.count { grow() }
    return id
  }

  private func equals(_ id: Int, _ ids: UnsafeBufferPointer<Int32>) -> Bool {
    let start = starts[id]
    guard starts[id + 1] - start == ids.count else { return false }
    for k in 0..<ids.count where keys[start + k] != ids[k] { return false }
    return true
  }

  private mutating func grow() {
    let old = slots
    let size = slots.count * 2
    slots = [Slot](repeating: Slot(tag: 0, id: -1), count: size)
    mask = size - 1
    for slot in old where slot.id >= 0 {
      var s = Self.slotIndex(slot.tag, mask)
      while slots[s].id >= 0 { s = (s + 1) & mask }
      slots[s] = slot
    }
  }
}
