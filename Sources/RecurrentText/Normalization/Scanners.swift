// Hand-written scanners for the pattern-based normalization steps (no regex engine: one pass
// each over the Unicode scalars).

extension TextNormalizer {
  static func scalars(_ s: String) -> [Unicode.Scalar] { Array(s.unicodeScalars) }

  static func string<C: Collection>(_ c: C) -> String where C.Element == Unicode.Scalar {
    var v = String.UnicodeScalarView()
    v.append(contentsOf: c)
    return String(v)
  }

  static func isDigit(_ c: Unicode.Scalar) -> Bool { PyClass.isDigit(c.value) }
  static func isWord(_ c: Unicode.Scalar) -> Bool { PyClass.isWord(c.value) }

  // MARK: Numbers

  static func replaceNumbers(_ s: String, _ handling: Handling) -> String {
    let a = scalars(s)
    guard a.contains(where: isDigit) else { return s }
    var token: [Unicode.Scalar] = []
    if case .replace(let t) = handling { token = scalars(t) }
    var out: [Unicode.Scalar] = []
    out.reserveCapacity(a.count)
    var k = 0
    while k < a.count {
      // A sign belongs to the number when it starts a word: "-3" but not "a-3".
      if (a[k] == "-" || a[k] == "+"), k + 1 < a.count, isDigit(a[k + 1]),
        k == 0 || !(isWord(a[k - 1]) || a[k - 1] == ".")
      {
        k += 1
      } else if !isDigit(a[k]) {
        out.append(a[k])
        k += 1
        continue
      }
      while k < a.count, isDigit(a[k]) { k += 1 }
      while k + 1 < a.count, a[k] == "." || a[k] == ",", isDigit(a[k + 1]) {
        k += 1
        while k < a.count, isDigit(a[k]) { k += 1 }
      }
      out.append(contentsOf: token)
    }
    return string(out)
  }

  // MARK: HTML

  static let blockTags: Set<String> = [
    "br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "blockquote", "pre", "section", "article", "header", "footer", "title", "body",
    "html", "head",
  ]

  static func stripTags(_ s: String) -> String {
    guard s.contains("<") else { return s }
    let a = scalars(s)
    var out: [Unicode.Scalar] = []
    var k = 0
    let n = a.count
    func find(_ needle: String, from: Int) -> Int? {
      let pat = scalars(needle)
      var i = from
      while i + pat.count <= n {
        var same = true
        for j in 0..<pat.count where lower(a[i + j]) != pat[j] {
          same = false
          break
        }
        if same { return i }
        i += 1
      }
      return nil
    }
    while k < n {
      guard a[k] == "<", k + 1 < n else {
        out.append(a[k])
        k += 1
        continue
      }
      let next = a[k + 1]
      if next == "!", k + 3 < n, a[k + 2] == "-", a[k + 3] == "-" {
        let end = find("-->", from: k + 4)
        k = end.map { $0 + 3 } ?? n
        continue
      }
      guard next.properties.isAlphabetic || next == "/" || next == "!" || next == "?",
        let close = a[(k + 1)...].firstIndex(of: ">")
      else {
        out.append(a[k])
        k += 1
        continue
      }
      var nameStart = k + 1
      if a[nameStart] == "/" { nameStart += 1 }
      var nameEnd = nameStart
      while nameEnd < close, a[nameEnd].properties.isAlphabetic || isDigit(a[nameEnd]) {
        nameEnd += 1
      }
      let name = string(a[nameStart..<nameEnd].map(lower))
      k = close + 1
      if a[k - 2] != "/", a[nameStart - 1] != "/", name == "script" || name == "style" {
        // Skip the element's contents: they are code, not text.
        k =
          find("</" + name, from: k).flatMap { e in a[e...].firstIndex(of: ">").map { $0 + 1 } }
          ?? n
      }
      if blockTags.contains(name) { out.append(" ") }
    }
    return string(out)
  }

  static func lower(_ c: Unicode.Scalar) -> Unicode.Scalar {
    Unicode.Scalar(PyClass.lowerASCII(c.value))!
  }

  /// Windows-1252 readings of numeric references 0x80–0x9F, as HTML5 and Python's `html`.
  static let windows1252: [UInt32: UInt32] = [
    0x80: 0x20AC, 0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020,
    0x87: 0x2021, 0x88: 0x02C6, 0x89: 0x2030, 0x8A: 0x0160, 0x8B: 0x2039, 0x8C: 0x0152,
    0x8E: 0x017D, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022,
    0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02DC, 0x99: 0x2122, 0x9A: 0x0161, 0x9B: 0x203A,
    0x9C: 0x0153, 0x9E: 0x017E, 0x9F: 0x0178, 0x00: 0xFFFD, 0x0D: 0x0D, 0x81: 0x81, 0x8D: 0x8D,
    0x8F: 0x8F, 0x90: 0x90, 0x9D: 0x9D,
  ]

  /// The character a numeric reference stands for, as Python's `html.unescape` decides.
  static func numericReference(_ v: UInt64) -> [Unicode.Scalar] {
    if v <= 0xFFFF_FFFF, let mapped = windows1252[UInt32(v)] { return [Unicode.Scalar(mapped)!] }
    if v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) { return ["\u{FFFD}"] }
    let c = UInt32(v)
    if (c >= 0x1 && c <= 0x8) || c == 0xB || (c >= 0xE && c <= 0x1F) || (c >= 0x7F && c <= 0x9F)
      || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE
    {
      return []
    }
    return [Unicode.Scalar(c)!]
  }

  static func decodeEntities(_ s: String) -> String {
    guard s.contains("&") else { return s }
    let a = scalars(s)
    let n = a.count
    var out: [Unicode.Scalar] = []
    var k = 0
    while k < n {
      guard a[k] == "&", k + 1 < n else {
        out.append(a[k])
        k += 1
        continue
      }
      if a[k + 1] == "#" {
        var j = k + 2
        let hex = j < n && (a[j] == "x" || a[j] == "X")
        if hex { j += 1 }
        let digitsStart = j
        var value: UInt64 = 0
        while j < n, j - digitsStart < 12 {
          guard let d = Int(String(a[j]), radix: hex ? 16 : 10), a[j].isASCII else { break }
          value = value * (hex ? 16 : 10) + UInt64(d)
          j += 1
        }
        if j > digitsStart {
          out.append(contentsOf: numericReference(value))
          k = j < n && a[j] == ";" ? j + 1 : j
          continue
        }
      } else {
        var j = k + 1
        while j < n, j - k <= 32, a[j].isASCII, isWord(a[j]) { j += 1 }
        if j < n, a[j] == ";", let v = htmlNamedEntities[string(a[(k + 1)..<j])] {
          out.append(Unicode.Scalar(v)!)
          k = j + 1
          continue
        }
      }
      out.append(a[k])
      k += 1
    }
    return string(out)
  }

  // MARK: URLs, e-mails, mentions, hashtags

  static func hasPrefix(_ a: [Unicode.Scalar], _ k: Int, _ p: String) -> Bool {
    var i = k
    for c in p.unicodeScalars {
      guard i < a.count, lower(a[i]) == c else { return false }
      i += 1
    }
    return true
  }

  static func replaceURLs(_ s: String, _ token: String) -> String {
    let a = scalars(s)
    let n = a.count
    var out: [Unicode.Scalar] = []
    var k = 0
    let tok = scalars(token)
    while k < n {
      let startsURL =
        (k == 0 || !isWord(a[k - 1]))
        && (hasPrefix(a, k, "http://") || hasPrefix(a, k, "https://")
          || hasPrefix(a, k, "ftp://") || hasPrefix(a, k, "www."))
      guard startsURL else {
        out.append(a[k])
        k += 1
        continue
      }
      var e = k
      while e < n, !a[e].properties.isWhitespace, a[e] != "<", a[e] != ">", a[e] != "\"" {
        e += 1
      }
      // Trailing punctuation belongs to the sentence, and ")" only if unbalanced in the URL.
      while e > k {
        let c = a[e - 1]
        if ".,;:!?'".unicodeScalars.contains(c) {
          e -= 1
        } else if c == ")" {
          let opens = a[k..<e].filter { $0 == "(" }.count
          let closes = a[k..<e].filter { $0 == ")" }.count
          if closes > opens { e -= 1 } else { break }
        } else {
          break
        }
      }
      out.append(contentsOf: tok)
      k = e
    }
    return string(out)
  }

  static func isEmailLocal(_ c: Unicode.Scalar) -> Bool {
    c.isASCII && (isWord(c) || "._%+-".unicodeScalars.contains(c))
  }

  static func isDomain(_ c: Unicode.Scalar) -> Bool { c.isASCII && (isWord(c) || c == "-") }

  static func replaceEmails(_ s: String, _ token: String) -> String {
    guard s.contains("@") else { return s }
    let a = scalars(s)
    var out: [Unicode.Scalar] = []
    var k = 0
    var copied = 0
    while k < a.count {
      guard a[k] == "@" else {
        k += 1
        continue
      }
      var l = k
      while l > copied, isEmailLocal(a[l - 1]) { l -= 1 }
      // Domain: labels separated by single dots, at least two labels.
      var e = k + 1
      var labels = 0
      var lastGood = k + 1
      while e < a.count, isDomain(a[e]) {
        while e < a.count, isDomain(a[e]) { e += 1 }
        labels += 1
        lastGood = e
        if e + 1 < a.count, a[e] == ".", isDomain(a[e + 1]) { e += 1 } else { break }
      }
      if l < k, labels >= 2 {
        out.append(contentsOf: a[copied..<l])
        out.append(contentsOf: token.unicodeScalars)
        copied = lastGood
        k = lastGood
      } else {
        k += 1
      }
    }
    out.append(contentsOf: a[copied...])
    return string(out)
  }

  /// `@user` / `#tag` at the start of a word; a hashtag needs a non-digit ("#1" is not one).
  static func replacePrefixed(_ s: String, marker: Unicode.Scalar, _ token: String) -> String {
    guard s.unicodeScalars.contains(marker) else { return s }
    let a = scalars(s)
    var out: [Unicode.Scalar] = []
    var k = 0
    while k < a.count {
      if a[k] == marker, k == 0 || !(isWord(a[k - 1]) || a[k - 1] == marker) {
        var e = k + 1
        while e < a.count, isWord(a[e]) { e += 1 }
        let body = a[(k + 1)..<e]
        if !body.isEmpty, marker == "@" || body.contains(where: { !isDigit($0) }) {
          out.append(contentsOf: token.unicodeScalars)
          k = e
          continue
        }
      }
      out.append(a[k])
      k += 1
    }
    return string(out)
  }

  // MARK: Emoji

  static func isEmoji(_ ch: Character) -> Bool {
    guard let first = ch.unicodeScalars.first else { return false }
    let p = first.properties
    if p.isEmojiPresentation { return true }
    if first.value >= 0x1F1E6 && first.value <= 0x1F1FF { return true }  // regional indicators
    // Text-default emoji count when asked for emoji presentation (U+FE0F) or a keycap.
    return p.isEmoji && ch.unicodeScalars.contains { $0.value == 0xFE0F || $0.value == 0x20E3 }
  }

  /// `:grinning_face:`, `:thumbs_up:`, `:flag_fr:`, `:man_technologist:` (ZWJ parts joined).
  static func emojiName(_ ch: Character) -> String {
    let sc = Array(ch.unicodeScalars)
    if sc.count == 2, sc.allSatisfy({ $0.value >= 0x1F1E6 && $0.value <= 0x1F1FF }) {
      let letters = sc.map { Character(Unicode.Scalar($0.value - 0x1F1E6 + 0x61)!) }
      return ":flag_" + String(letters) + ":"
    }
    var parts: [String] = []
    for c in sc {
      let v = c.value
      if v == 0x200D || v == 0xFE0F || v == 0x20E3 || (v >= 0x1F3FB && v <= 0x1F3FF) { continue }
      guard let name = c.properties.name else { continue }
      parts.append(name.lowercased().replacingOccurrences(of: " ", with: "_"))
    }
    return ":" + parts.joined(separator: "_") + ":"
  }

  static func replaceEmoji(_ s: String, _ handling: EmojiHandling) -> String {
    guard s.utf8.contains(where: { $0 >= 0xC0 }) else { return s }
    var out = ""
    for ch in s {
      if isEmoji(ch) {
        if handling == .replaceWithName { out += emojiName(ch) }
      } else {
        out.append(ch)
      }
    }
    return out
  }
}
