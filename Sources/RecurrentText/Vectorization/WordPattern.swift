// scikit-learn's default analyzer, written on UTF-8 bytes: `doc.lower()` then
// `re.findall(r"(?u)\b\w\w+\b", doc)`. For Python's `\w` (`str.isalnum()` or "_") a token is a
// maximal run of at least two word code points, so no regex engine is needed.

/// ASCII bytes that Python's `\w` matches: `[0-9A-Za-z_]`.
private let asciiWordTable: [Bool] = (0..<128).map { b in
  (48...57).contains(b) || (65...90).contains(b) || (97...122).contains(b) || b == 95
}

/// Python's `\w` for one code point: general category L* (`str.isalpha`), any numeric type
/// (`isdecimal` / `isdigit` / `isnumeric`), or "_". Combining marks (M*) are not word characters.
@inline(__always)
func isPythonWordScalar(_ s: Unicode.Scalar) -> Bool {
  if s.value < 0x80 { return asciiWordTable[Int(s.value)] }
  let p = s.properties
  switch p.generalCategory {
  case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
    return true
  default:
    return p.numericType != nil
  }
}

/// Splits documents into scikit-learn's default word tokens (`(?u)\b\w\w+\b`), optionally
/// lower-cased with Python's full case mapping first.
struct WordPatternTokenizer: Sendable {
  var lowercase: Bool

  /// Calls `body` with the UTF-8 bytes of every token of `document`, in order. The buffer is only
  /// valid during the call. `scratch` is reused storage for tokens that lower-casing rewrites.
  func forEachToken(
    in document: String, scratch: inout [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    var document = document
    let lowercase = self.lowercase
    document.withUTF8 { buf in
      let n = buf.count
      var i = 0
      var tokenStart = 0  // where the current run starts in `buf` (when not in scratch)
      var inScratch = false  // the current run lives in `scratch` (it was rewritten)
      var runLength = 0  // code points in the current run

      @inline(__always) func emit(end: Int) {
        if runLength >= 2 {
          if inScratch {
            scratch.withUnsafeBufferPointer { body($0) }
          } else {
            body(UnsafeBufferPointer(rebasing: buf[tokenStart..<end]))
          }
        }
        runLength = 0
        inScratch = false
      }
      @inline(__always) func moveToScratch(upTo end: Int) {
        scratch.removeAll(keepingCapacity: true)
        if runLength > 0 { scratch.append(contentsOf: buf[tokenStart..<end]) }
        inScratch = true
      }

      while i < n {
        let b = buf[i]
        if b < 0x80 {
          if asciiWordTable[Int(b)] {
            if runLength == 0 { tokenStart = i }
            if lowercase && b >= 65 && b <= 90 {
              if !inScratch { moveToScratch(upTo: i) }
              scratch.append(b | 0x20)
            } else if inScratch {
              scratch.append(b)
            }
            runLength += 1
          } else {
            emit(end: i)
          }
          i += 1
          continue
        }
        // A multi-byte scalar (the String is valid UTF-8).
        let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
        var value = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for k in 1..<length { value = (value << 6) | (UInt32(buf[i + k]) & 0x3F) }
        let scalar = Unicode.Scalar(value)!
        let mapped =
          !lowercase
          ? ""
          : value == 0x3A3 && isFinalSigma(buf, at: i, length: length)
            ? "\u{3C2}" : scalar.properties.lowercaseMapping
        if !lowercase || (mapped.unicodeScalars.count == 1 && mapped.unicodeScalars.first == scalar)
        {
          if isPythonWordScalar(scalar) {
            if runLength == 0 { tokenStart = i }
            if inScratch { scratch.append(contentsOf: buf[i..<(i + length)]) }
            runLength += 1
          } else {
            emit(end: i)
          }
        } else {
          // Lower-casing rewrites this code point (maybe into several): classify each result.
          for m in mapped.unicodeScalars {
            if isPythonWordScalar(m) {
              if !inScratch { moveToScratch(upTo: i) }
              scratch.append(contentsOf: String(m).utf8)
              runLength += 1
            } else {
              emit(end: i)
            }
          }
        }
        i += length
      }
      emit(end: n)
    }
  }

  /// Python's Final_Sigma context for the Σ at `i`: a cased letter before it and none after it,
  /// skipping case-ignorable code points both ways (CPython's `handle_capital_sigma`).
  private func isFinalSigma(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, length: Int) -> Bool {
    var j = i
    var before: Unicode.Scalar?
    while j > 0 {
      j -= 1
      while j > 0 && buf[j] & 0xC0 == 0x80 { j -= 1 }  // back to the lead byte
      let s = decodeScalar(buf, at: j)
      if !s.properties.isCaseIgnorable {
        before = s
        break
      }
    }
    guard let before, before.properties.isCased else { return false }
    var k = i + length
    while k < buf.count {
      let s = decodeScalar(buf, at: k)
      if !s.properties.isCaseIgnorable { return !s.properties.isCased }
      k += s.utf8.count
    }
    return true
  }

  private func decodeScalar(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Unicode.Scalar {
    let b = buf[i]
    if b < 0x80 { return Unicode.Scalar(b) }
    let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
    var value = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
    for k in 1..<length { value = (value << 6) | (UInt32(buf[i + k]) & 0x3F) }
    return Unicode.Scalar(value)!
  }

  /// The tokens of `document` as strings (for tests and small inputs).
  func tokens(_ document: String) -> [String] {
    var scratch: [UInt8] = []
    var out: [String] = []
    forEachToken(in: document, scratch: &scratch) {
      out.append(String(decoding: $0, as: UTF8.self))
    }
    return out
  }
}

/// Python's `str.lower()`: full Unicode lower-case mapping, with Σ → ς in the final-sigma context.
///
/// ```swift
/// pythonLowercased("ΟΔΟΣ İ")  // "οδος i̇"
/// ```
func pythonLowercased(_ text: String) -> String {
  let scalars = Array(text.unicodeScalars)
  var out = String.UnicodeScalarView()
  for (i, s) in scalars.enumerated() {
    if s.value < 0x80 {
      out.append(s.value >= 65 && s.value <= 90 ? Unicode.Scalar(s.value | 0x20)! : s)
    } else if s.value == 0x3A3 {
      // Final_Sigma: a cased letter before (skipping case-ignorables) and none after.
      var j = i - 1
      while j >= 0 && scalars[j].properties.isCaseIgnorable { j -= 1 }
      var final = j >= 0 && scalars[j].properties.isCased
      if final {
        var k = i + 1
        while k < scalars.count && scalars[k].properties.isCaseIgnorable { k += 1 }
        final = k == scalars.count || !scalars[k].properties.isCased
      }
      out.append(final ? "\u{3C2}" : "\u{3C3}")
    } else {
      out.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
    }
  }
  return String(out)
}
