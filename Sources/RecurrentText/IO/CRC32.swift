/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum of gzip, zip and PNG.
///
///     var crc = CRC32()
///     crc.update(Array("abc".utf8))
///     crc.value  // 0x352441C2
public struct CRC32: Sendable, Equatable {
  public private(set) var value: UInt32 = 0

  public init() {}

  /// Slicing-by-8 tables: table k maps a byte to its CRC contribution k bytes further on.
  static let tables: [UInt32] = {
    var t = [UInt32](repeating: 0, count: 8 * 256)
    for i in 0..<256 {
      var c = UInt32(i)
      for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
      t[i] = c
    }
    for k in 1..<8 {
      for i in 0..<256 {
        let prev = t[(k - 1) * 256 + i]
        t[k * 256 + i] = (prev >> 8) ^ t[Int(prev & 0xFF)]
      }
    }
    return t
  }()

  public mutating func update(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { update($0) }
  }

  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress else { return }
    update(base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
  }

  mutating func update(_ p: UnsafePointer<UInt8>, count: Int) {
    var c = ~value
    var i = 0
    Self.tables.withUnsafeBufferPointer { t in
      while i + 8 <= count {
        let lo = UnsafeRawPointer(p + i).loadUnaligned(as: UInt32.self).littleEndian ^ c
        let hi = UnsafeRawPointer(p + i + 4).loadUnaligned(as: UInt32.self).littleEndian
        c =
          t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
          ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
          ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
          ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
        i += 8
      }
      while i < count {
        c = t[Int((c ^ UInt32(p[i])) & 0xFF)] ^ (c >> 8)
        i += 1
      }
    }
    value = ~c
  }
}
