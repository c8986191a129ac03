import Foundation

/// A text normalizer: optional steps applied in the order given.
///
///     let normalize = TextNormalizer([
///       .stripHTML, .replaceURLs(with: "<url>"), .unicode(.nfkc), .lowercase, .stripAccents,
///       .numbers(.replace(with: "<num>")), .removePunctuation(keep: "'<>"), .collapseWhitespace,
///     ])
///     normalize("<p>Café costs 3.50 at https://x.org!</p>")  // "cafe costs <num> at <url>"
public struct TextNormalizer: Sendable {
  /// Unicode normalization forms (UAX #15), via Foundation.
  public enum UnicodeForm: Sendable { case nfc, nfd, nfkc, nfkd }

  /// What to do with numbers or emoji.
  public enum Handling: Sendable, Equatable {
    case remove
    case replace(with: String)
  }

  /// One normalization step.
  public enum Step: Sendable {
    case unicode(UnicodeForm)
    /// Full Unicode lowercase mapping, independent of the locale ("İ" → "i̇", as Python).
    case lowercase
    /// Compatibility-decompose (NFKD) and drop combining characters, exactly as scikit-learn's
    /// `strip_accents='unicode'`: "café" → "cafe", "ﬁ" → "fi" (not recomposed).
    case stripAccents
    /// Drop characters of Unicode category P* (and S* when `symbols`), except those in `keep`;
    /// each is replaced by `replacement`.
    case removePunctuation(keep: String = "", symbols: Bool = false, replacement: String = "")
    /// Replace every character of `characters` by `replacement` (Keras `Tokenizer(filters:)`:
    /// `.removeCharacters(TextNormalizer.kerasFilters, replacement: " ")`).
    case removeCharacters(String, replacement: String = "")
    /// Numbers: digit runs with inner `.`/`,` separators ("3,000.50") and a leading sign.
    case numbers(Handling)
    /// Remove tags (and the contents of `<script>` / `<style>`), then decode entities.
    case stripHTML
    /// Named (HTML 4 + `&apos;`) and numeric (`&#233;`, `&#xE9;`) character references.
    case decodeHTMLEntities
    case replaceURLs(with: String)
    case replaceEmails(with: String)
    case replaceMentions(with: String)
    case replaceHashtags(with: String)
    /// Emoji (grapheme clusters starting with an emoji): removed, or replaced by `:name:` from
    /// the Unicode Character Database names built into Swift (`:grinning_face:`).
    case emoji(EmojiHandling)
    /// Runs of whitespace become one space; leading and trailing whitespace is removed
    /// (Python's `" ".join(text.split())`).
    case collapseWhitespace
  }

  public enum EmojiHandling: Sendable { case remove, replaceWithName }

  /// Keras `Tokenizer`'s default `filters`: `!"#$%&()*+,-./:;<=>?@[\]^_`{|}~\t\n`.
  public static let kerasFilters = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n"

  public var steps: [Step]

  public init(_ steps: [Step]) { self.steps = steps }

  public func callAsFunction(_ text: String) -> String { normalize(text) }

  public func normalize(_ text: String) -> String {
    var s = text
    for step in steps { s = Self.apply(step, s) }
    return s
  }

  static func apply(_ step: Step, _ s: String) -> String {
    switch step {
    case .unicode(let form):
      // Fast path: ASCII is invariant under every form, and nothing below U+0300 changes
      // under NFC (no combining marks or composition exclusions there).
      let limit: UInt32 = form == .nfc ? 0x300 : 0x80
      if isBelow(s, limit) { return s }
      switch form {
      case .nfc: return s.precomposedStringWithCanonicalMapping
      case .nfd: return s.decomposedStringWithCanonicalMapping
      case .nfkc: return s.precomposedStringWithCompatibilityMapping
      case .nfkd: return s.decomposedStringWithCompatibilityMapping
      }
    case .lowercase:
      return s.lowercased()
    case .stripAccents:
      return stripAccents(s)
    case .removePunctuation(let keep, let symbols, let replacement):
      let keepSet = Set(keep.unicodeScalars.map(\.value))
      return mapScalars(s) { c in
        if keepSet.contains(c.value) { return nil }
        switch c.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
          .initialPunctuation, .finalPunctuation, .otherPunctuation:
          return replacement
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
          return symbols ? replacement : nil
        default: return nil
        }
      }
    case .removeCharacters(let characters, let replacement):
      let set = Set(characters.unicodeScalars.map(\.value))
      return mapScalars(s) { set.contains($0.value) ? replacement : nil }
    case .numbers(let handling):
      return replaceNumbers(s, handling)
    case .stripHTML:
      return decodeEntities(stripTags(s))
    case .decodeHTMLEntities:
      return decodeEntities(s)
    case .replaceURLs(let token):
      return replaceURLs(s, token)
    case .replaceEmails(let token):
      return replaceEmails(s, token)
    case .replaceMentions(let token):
      return replacePrefixed(s, marker: "@", token)
    case .replaceHashtags(let token):
      return replacePrefixed(s, marker: "#", token)
    case .emoji(let handling):
      return replaceEmoji(s, handling)
    case .collapseWhitespace:
      return collapseWhitespace(s)
    }
  }

  /// Rebuilds `s`, replacing scalars for which `replace` returns a string.
  static func mapScalars(_ s: String, _ replace: (Unicode.Scalar) -> String?) -> String {
    var out = String.UnicodeScalarView()
    var changed = false
    for c in s.unicodeScalars {
      if let r = replace(c) {
        out.append(contentsOf: r.unicodeScalars)
        changed = true
      } else {
        out.append(c)
      }
    }
    return changed ? String(out) : s
  }

  static func stripAccents(_ s: String) -> String {
    if s.utf8.allSatisfy({ $0 < 0x80 }) { return s }
    var out = String.UnicodeScalarView()
    for c in s.decomposedStringWithCompatibilityMapping.unicodeScalars
    where c.properties.canonicalCombiningClass == .notReordered {
      out.append(c)
    }
    return String(out)
  }

  /// Whether every scalar of `s` is below `limit` (≤ 0x800), checked on UTF-8 bytes.
  static func isBelow(_ s: String, _ limit: UInt32) -> Bool {
    // Bytes below 0xC0 are ASCII or continuations; a lead byte 0xC0 + k starts a scalar in
    // [k << 6, (k + 1) << 6), so lead bytes below 0xC0 + limit >> 6 start scalars below limit.
    precondition(limit >= 0x80 && limit <= 0x800, "limit must be in 0x80...0x800")
    let maxLead = UInt8(0xC0 + (limit >> 6))
    return s.utf8.allSatisfy { $0 < maxLead }
  }

  /// Whether `collapseWhitespace` would change `s` (conservative on non-ASCII spaces).
  static func needsCollapse(_ s: String) -> Bool {
    var previousSpace = true  // a leading space needs collapsing
    for b in s.utf8 {
      switch b {
      case 0x20:
        if previousSpace { return true }
        previousSpace = true
        continue
      case 0x09...0x0D, 0x1C...0x1F, 0xC2, 0xE1, 0xE2, 0xE3: return true
      default: previousSpace = false
      }
    }
    return previousSpace && !s.isEmpty
  }

  static func collapseWhitespace(_ s: String) -> String {
    if !needsCollapse(s) { return s }
    var out = String.UnicodeScalarView()
    var pendingSpace = false
    for c in s.unicodeScalars {
      if PyClass.isSpace(c.value) {
        pendingSpace = !out.isEmpty
      } else {
        if pendingSpace { out.append(" ") }
        pendingSpace = false
        out.append(c)
      }
    }
    return String(out)
  }
}
