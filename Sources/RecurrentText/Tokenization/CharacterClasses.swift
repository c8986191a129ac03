/// Character classes with the meaning Python's `re` gives them on `str` patterns, so tokenizers
/// ported from NLTK split exactly where NLTK splits.
enum PyClass {
  /// `\w`: letters (L*), numeric characters (`str.isnumeric`), and `_`.
  @inline(__always)
  static func isWord(_ c: UInt32) -> Bool {
    if c < 0x80 {
      return (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39)
        || c == 0x5F
    }
    return isWordSlow(c)
  }

  static func isWordSlow(_ c: UInt32) -> Bool {
    guard let s = Unicode.Scalar(c) else { return false }
    switch s.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
      return true
    default:
      return s.properties.numericType != nil
    }
  }

  /// `\s` and `str.split()` whitespace (`Py_UNICODE_ISSPACE`).
  @inline(__always)
  static func isSpace(_ c: UInt32) -> Bool {
    if c < 0x80 { return c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F) }
    switch c {
    case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
    default: return false
    }
  }

  /// `\d`: decimal digits (Nd).
  @inline(__always)
  static func isDigit(_ c: UInt32) -> Bool {
    if c < 0x80 { return c >= 0x30 && c <= 0x39 }
    guard let s = Unicode.Scalar(c) else { return false }
    return s.properties.generalCategory == .decimalNumber
  }

  /// ASCII-only case folding, enough for the ASCII patterns compared case-insensitively.
  @inline(__always)
  static func lowerASCII(_ c: UInt32) -> UInt32 { (c >= 0x41 && c <= 0x5A) ? c + 32 : c }
}
