extension GzipDecoder {
  /// The hot loop: decodes literal/length and distance symbols of one Huffman block into the
  /// window until the end-of-block symbol (returns true) or `limit` (returns false).
  ///
  /// State lives in locals so it stays in registers. The bit buffer is topped up 8 bytes at a time
  /// (the bits above `bc` are always the true next input bits, so OR-ing them again is harmless);
  /// 48 bits cover the longest symbol: 15 + 5 extra + 15 + 13 extra.
  func inflateCodes(limit: Int) throws -> Bool {
    let lit = useFixed ? fixedLit : dynLit
    let dist = useFixed ? fixedDist : dynDist
    let litP = lit.primary
    let distP = dist.primary
    let lengthCodes = self.lengthCodes
    let distanceCodes = self.distanceCodes
    let out = window
    let inb = inBuf
    let floor = memberFloor
    let rootMask = UInt64((1 << HuffmanTable.rootBits) - 1)
    var bb = bitBuf
    var bc = bitCount
    var ip = inPos
    var ie = inEnd
    var op = outPos
    defer {
      bitBuf = bb
      bitCount = bc
      inPos = ip
      outPos = op
    }
    while op < limit {
      if bc < 48 {
        if ie &- ip >= 8 {
          let w = UnsafeRawPointer(inb + ip).loadUnaligned(as: UInt64.self).littleEndian
          bb |= w &<< UInt64(bc)
          let n = (63 &- bc) &>> 3
          ip &+= n
          bc &+= n &<< 3
        } else {
          bitBuf = bb
          bitCount = bc
          inPos = ip
          try refillSlow()
          bb = bitBuf
          bc = bitCount
          ip = inPos
          ie = inEnd
        }
      }
      let e = litP[Int(truncatingIfNeeded: bb & rootMask)]
      var sym: Int
      var len: Int
      if e & 15 != 0 {
        sym = Int(truncatingIfNeeded: e &>> 4)
        len = Int(truncatingIfNeeded: e & 15)
      } else if let (s, l) = lit.decodeSlow(bb) {
        sym = s
        len = l
      } else {
        throw badCode(bc, ip, ie)
      }
      bb &>>= UInt64(len)
      bc &-= len
      if sym < 256 {
        out[op] = UInt8(truncatingIfNeeded: sym)
        op &+= 1
        continue
      }
      if sym == 256 {
        if bc < 0 { throw error(.truncated, "unexpected end of compressed data") }
        return true
      }
      guard sym <= 285 else { throw error(.corrupt, "invalid length symbol \(sym)") }
      let lv = lengthCodes[sym &- 257]
      var extra = UInt64(lv & 0xFF)
      let length =
        Int(truncatingIfNeeded: lv &>> 8) &+ Int(truncatingIfNeeded: bb & ((1 &<< extra) &- 1))
      bb &>>= extra
      bc &-= Int(truncatingIfNeeded: extra)

      let d = distP[Int(truncatingIfNeeded: bb & rootMask)]
      if d & 15 != 0 {
        sym = Int(truncatingIfNeeded: d &>> 4)
        len = Int(truncatingIfNeeded: d & 15)
      } else if let (s, l) = dist.decodeSlow(bb) {
        sym = s
        len = l
      } else {
        throw badCode(bc, ip, ie)
      }
      bb &>>= UInt64(len)
      bc &-= len
      guard sym < 30 else { throw error(.corrupt, "invalid distance symbol \(sym)") }
      let dv = distanceCodes[sym]
      extra = UInt64(dv & 0xFF)
      let distance =
        Int(truncatingIfNeeded: dv &>> 8) &+ Int(truncatingIfNeeded: bb & ((1 &<< extra) &- 1))
      bb &>>= extra
      bc &-= Int(truncatingIfNeeded: extra)
      if bc < 0 { throw error(.truncated, "unexpected end of compressed data") }
      guard distance <= op &- floor else {
        throw error(
          .corrupt, "back-reference distance \(distance) reaches before the start of data")
      }
      let dst = out + op
      let src = dst - distance
      if distance >= 8 {
        // 8-byte chunks; overlap is safe because each chunk reads only bytes already written,
        // and the window has slack for the overshoot.
        var k = 0
        while k < length {
          let v = UnsafeRawPointer(src + k).loadUnaligned(as: UInt64.self)
          UnsafeMutableRawPointer(dst + k).storeBytes(of: v, as: UInt64.self)
          k &+= 8
        }
      } else if distance == 1 {
        dst.update(repeating: src[0], count: length)
      } else {
        for k in 0..<length { dst[k] = src[k] }
      }
      op &+= length
    }
    return false
  }

  func badCode(_ bc: Int, _ ip: Int, _ ie: Int) -> TextInputError {
    if bc < HuffmanTable.maxBits, ip == ie, sourceEnded {
      return error(.truncated, "unexpected end of compressed data")
    }
    return error(.corrupt, "invalid Huffman code")
  }
}
