/// The Penn Treebank word tokenizer as NLTK's `word_tokenize` applies it to one sentence
/// (`nltk.tokenize.NLTKWordTokenizer`, the "improved" Treebank tokenizer): splits contractions
/// ("don't" → "do", "n't"), punctuation and quotes (`"` → "``" / "''").
///
///     TreebankWordTokenizer().tokenize("They'll say \"don't\", won't they?")
///     // ["They", "'ll", "say", "``", "do", "n't", "''", ",", "wo", "n't", "they", "?"]
///
/// Each of NLTK's regular-expression substitutions is one left-to-right pass over the Unicode
/// scalars with Python `re` semantics (non-overlapping matches, `\w`/`\s`/`\d` as Python defines
/// them). Like NLTK, a period is split off only at the end of the text: split sentences first
/// (`SentenceSplitter`) for running text.
public struct TreebankWordTokenizer: Sendable {
  /// Replace brackets by PTB symbols (`(` → `-LRB-`, …), as NLTK's `convert_parentheses`.
  public var convertParentheses: Bool

  public init(convertParentheses: Bool = false) {
    self.convertParentheses = convertParentheses
  }

  public func tokenize(_ text: String) -> [String] {
    var tokens: [String] = []
    var p = Passes(text)
    p.run(convertParentheses: convertParentheses)
    p.split { tokens.append($0) }
    return tokens
  }

  /// Tokenizes and calls `body` with each token (avoids building an array).
  public func forEachToken(in text: String, _ body: (String) -> Void) {
    var p = Passes(text)
    p.run(convertParentheses: convertParentheses)
    p.split(body)
  }
}

/// The passes, ping-ponging between two scalar buffers.
struct Passes {
  var src: [UInt32]
  var dst: [UInt32] = []

  init(_ text: String) {
    src = []
    src.reserveCapacity(text.utf8.count + 16)
    for s in text.unicodeScalars { src.append(s.value) }
    dst.reserveCapacity(src.count * 2 + 16)
  }

  mutating func swapBuffers() {
    swap(&src, &dst)
    dst.removeAll(keepingCapacity: true)
  }

  mutating func run(convertParentheses: Bool) {
    // STARTING_QUOTES
    padQuotesAndBackticks()
    if src.first == dq {  // ^\" → ``
      src.replaceSubrange(0..<1, with: [bt, bt])
    }
    padDoubleBackticks()
    openingDoubleQuotes()
    openingSingleQuote()
    // PUNCTUATION
    finalPeriod(closers: closersWithSpace, spaceAfterPeriod: true, possessive: true)
    commaColonBeforeNonDigit()
    commaColonAtEnd()
    padPeriodRuns()
    pad { $0 == 0x3B || $0 == 0x40 || $0 == 0x23 || $0 == 0x24 || $0 == 0x25 || $0 == 0x26 }
    pad { $0 >= 0x2012 && $0 <= 0x2015 }
    finalPeriod(closers: closersASCII, spaceAfterPeriod: false, possessive: false)
    pad { $0 == 0x3F || $0 == 0x21 }
    singleQuoteBeforeSpace()
    pad { $0 == 0x2A }
    // PARENS_BRACKETS
    pad {
      $0 == 0x5B || $0 == 0x5D || $0 == 0x28 || $0 == 0x29 || $0 == 0x7B || $0 == 0x7D
        || $0 == 0x3C || $0 == 0x3E
    }
    if convertParentheses { convertBrackets() }
    doubleDashes()
    src.insert(sp, at: 0)
    src.append(sp)
    // ENDING_QUOTES
    pad { $0 == 0xBB || $0 == 0x201D || $0 == 0x2019 }
    twoSingleQuotes()
    doubleQuoteToClosing()
    collapseSpaces()
    clitics(short: true)
    clitics(short: false)
    // CONTRACTIONS2 and CONTRACTIONS3 (MacIntyre)
    splitContractions()
    splitTis(is_)
    splitTis(was)
  }

  /// `text.split()`. Tokens are built from UTF-8 bytes (much cheaper than appending scalars).
  func split(_ body: (String) -> Void) {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(64)
    for c in src {
      if PyClass.isSpace(c) {
        if !bytes.isEmpty {
          body(String(decoding: bytes, as: UTF8.self))
          bytes.removeAll(keepingCapacity: true)
        }
      } else if c < 0x80 {
        bytes.append(UInt8(truncatingIfNeeded: c))
      } else {
        for b in Unicode.UTF8.encode(Unicode.Scalar(c)!)! { bytes.append(b) }
      }
    }
    if !bytes.isEmpty { body(String(decoding: bytes, as: UTF8.self)) }
  }

  // MARK: - Generic passes

  /// `[set]` → ` \g<0> `.
  mutating func pad(_ isMember: (UInt32) -> Bool) {
    guard src.contains(where: isMember) else { return }
    for c in src {
      if isMember(c) {
        dst.append(sp)
        dst.append(c)
        dst.append(sp)
      } else {
        dst.append(c)
      }
    }
    swapBuffers()
  }

  /// `([«“‘„]|[`]+)` → ` \1 `.
  mutating func padQuotesAndBackticks() {
    guard
      src.contains(where: { $0 == bt || $0 == 0xAB || $0 == 0x201C || $0 == 0x2018 || $0 == 0x201E }
      )
    else { return }
    var k = 0
    let n = src.count
    var changed = false
    while k < n {
      let c = src[k]
      if c == 0xAB || c == 0x201C || c == 0x2018 || c == 0x201E {
        dst += [sp, c, sp]
        k += 1
        changed = true
      } else if c == bt {
        dst.append(sp)
        while k < n, src[k] == bt {
          dst.append(bt)
          k += 1
        }
        dst.append(sp)
        changed = true
      } else {
        dst.append(c)
        k += 1
      }
    }
    if changed { swapBuffers() } else { dst.removeAll(keepingCapacity: true) }
  }

  /// `(``)` → ` \1 `.
  mutating func padDoubleBackticks() {
    guard src.contains(bt) else { return }
    var k = 0
    let n = src.count
    while k < n {
      if src[k] == bt, k + 1 < n, src[k + 1] == bt {
        dst += [sp, bt, bt, sp]
        k += 2
      } else {
        dst.append(src[k])
        k += 1
      }
    }
    swapBuffers()
  }

  /// `([ \(\[{<])(\"|\'{2})` → `\1 `` `.
  mutating func openingDoubleQuotes() {
    guard src.contains(dq) || src.contains(sq) else { return }
    var k = 0
    let n = src.count
    while k < n {
      let c = src[k]
      if c == sp || c == 0x28 || c == 0x5B || c == 0x7B || c == 0x3C, k + 1 < n {
        if src[k + 1] == dq {
          dst += [c, sp, bt, bt, sp]
          k += 2
          continue
        }
        if src[k + 1] == sq, k + 2 < n, src[k + 2] == sq {
          dst += [c, sp, bt, bt, sp]
          k += 3
          continue
        }
      }
      dst.append(c)
      k += 1
    }
    swapBuffers()
  }

  /// `(?i)(?<!\w)(\')(?!(?:re|ve|ll|m|t|s|d|n)\b)(?=\w)` → `\1 `.
  mutating func openingSingleQuote() {
    guard src.contains(sq) else { return }
    let n = src.count
    for k in 0..<n {
      let c = src[k]
      dst.append(c)
      guard c == sq, k + 1 < n, PyClass.isWord(src[k + 1]) else { continue }
      if k > 0, PyClass.isWord(src[k - 1]) { continue }
      var clitic = false
      for alt in cliticAlternatives {
        let end = k + 1 + alt.count
        guard end <= n else { continue }
        var same = true
        for (j, a) in alt.enumerated() where PyClass.lowerASCII(src[k + 1 + j]) != a {
          same = false
          break
        }
        if same, end == n || !PyClass.isWord(src[end]) {
          clitic = true
          break
        }
      }
      if !clitic { dst.append(sp) }
    }
    swapBuffers()
  }

  /// `([^\.])(\.)(closers*)\s*$` → `\1 \2 \3 ` (possessive, closers include space) or
  /// `\1 \2\3 ` (greedy; the same match since the closers hold no whitespace).
  mutating func finalPeriod(closers: (UInt32) -> Bool, spaceAfterPeriod: Bool, possessive: Bool) {
    let n = src.count
    guard n >= 2 else { return }
    // The match must end at the end of the text: only trailing closers and whitespace follow
    // the period, so scan candidates from the left and stop at the first that works.
    var k = 0
    while k + 1 < n {
      if src[k + 1] == dot, src[k] != dot {
        var j = k + 2
        while j < n, closers(src[j]) { j += 1 }
        var e = j
        while e < n, PyClass.isSpace(src[e]) { e += 1 }
        if e == n {
          dst.append(contentsOf: src[0...k])
          dst.append(sp)
          dst.append(dot)
          if spaceAfterPeriod { dst.append(sp) }
          dst.append(contentsOf: src[(k + 2)..<j])
          dst.append(sp)
          swapBuffers()
          return
        }
      }
      k += 1
    }
    _ = possessive
  }

  /// `([:,])([^\d])` → ` \1 \2`.
  mutating func commaColonBeforeNonDigit() {
    guard src.contains(where: { $0 == 0x2C || $0 == 0x3A }) else { return }
    var k = 0
    let n = src.count
    while k < n {
      let c = src[k]
      if c == 0x2C || c == 0x3A, k + 1 < n, !PyClass.isDigit(src[k + 1]) {
        dst += [sp, c, sp, src[k + 1]]
        k += 2
      } else {
        dst.append(c)
        k += 1
      }
    }
    swapBuffers()
  }

  /// `([:,])$` → ` \1 `.
  mutating func commaColonAtEnd() {
    guard let last = src.last, last == 0x2C || last == 0x3A else { return }
    src.removeLast()
    src += [sp, last, sp]
  }

  /// `\.{2,}` → ` \g<0> `.
  mutating func padPeriodRuns() {
    guard let first = src.firstIndex(of: dot), first + 1 < src.count,
      src[(first + 1)...].contains(dot)
    else { return }
    var k = 0
    let n = src.count
    var changed = false
    while k < n {
      if src[k] == dot, k + 1 < n, src[k + 1] == dot {
        dst.append(sp)
        while k < n, src[k] == dot {
          dst.append(dot)
          k += 1
        }
        dst.append(sp)
        changed = true
      } else {
        dst.append(src[k])
        k += 1
      }
    }
    if changed { swapBuffers() } else { dst.removeAll(keepingCapacity: true) }
  }

  /// `([^'])' ` → `\1 ' `.
  mutating func singleQuoteBeforeSpace() {
    guard src.contains(sq) else { return }
    var k = 0
    let n = src.count
    while k < n {
      if k + 2 < n, src[k] != sq, src[k + 1] == sq, src[k + 2] == sp {
        dst += [src[k], sp, sq, sp]
        k += 3
      } else {
        dst.append(src[k])
        k += 1
      }
    }
    swapBuffers()
  }

  mutating func convertBrackets() {
    let names: [UInt32: String] = [
      0x28: "-LRB-", 0x29: "-RRB-", 0x5B: "-LSB-", 0x5D: "-RSB-", 0x7B: "-LCB-", 0x7D: "-RCB-",
    ]
    for c in src {
      if let name = names[c] {
        dst += name.unicodeScalars.map { $0.value }
      } else {
        dst.append(c)
      }
    }
    swapBuffers()
  }

  /// `--` → ` -- `.
  mutating func doubleDashes() {
    guard src.contains(0x2D) else { return }
    var k = 0
    let n = src.count
    while k < n {
      if src[k] == 0x2D, k + 1 < n, src[k + 1] == 0x2D {
        dst += [sp, 0x2D, 0x2D, sp]
        k += 2
      } else {
        dst.append(src[k])
        k += 1
      }
    }
    swapBuffers()
  }

  /// `''` → ` '' `.
  mutating func twoSingleQuotes() {
    guard src.contains(sq) else { return }
    var k = 0
    let n = src.count
    while k < n {
      if src[k] == sq, k + 1 < n, src[k + 1] == sq {
        dst += [sp, sq, sq, sp]
        k += 2
      } else {
        dst.append(src[k])
        k += 1
      }
    }
    swapBuffers()
  }

  /// `"` → ` '' `.
  mutating func doubleQuoteToClosing() {
    guard src.contains(dq) else { return }
    for c in src {
      if c == dq { dst += [sp, sq, sq, sp] } else { dst.append(c) }
    }
    swapBuffers()
  }

  /// `\s+` → ` `.
  mutating func collapseSpaces() {
    // Usually nothing to do: no whitespace other than single spaces.
    var needed = false
    var previousSpace = false
    for c in src {
      if c == sp {
        if previousSpace {
          needed = true
          break
        }
        previousSpace = true
      } else {
        if PyClass.isSpace(c) {
          needed = true
          break
        }
        previousSpace = false
      }
    }
    guard needed else { return }
    var inSpace = false
    for c in src {
      if PyClass.isSpace(c) {
        if !inSpace { dst.append(sp) }
        inSpace = true
      } else {
        dst.append(c)
        inSpace = false
      }
    }
    swapBuffers()
  }

  /// `([^' ])('[sS]|'[mM]|'[dD]|') ` → `\1 \2 ` (short) and
  /// `([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ` → `\1 \2 ` (long).
  mutating func clitics(short: Bool) {
    guard src.contains(sq) else { return }
    var k = 0
    let n = src.count
    while k < n {
      let c = src[k]
      if c != sq, c != sp, k + 1 < n {
        var len = 0
        if short {
          if src[k + 1] == sq {
            if k + 3 < n, "sSmMdD".unicodeScalars.contains(where: { $0.value == src[k + 2] }),
              src[k + 3] == sp
            {
              len = 2
            } else if k + 2 < n, src[k + 2] == sp {
              len = 1
            }
          }
        } else if k + 4 < n, src[k + 4] == sp {
          let a = src[k + 1]
          let b = src[k + 2]
          let d = src[k + 3]
          for alt in longClitics where alt[0] == a && alt[1] == b && alt[2] == d {
            len = 3
            break
          }
        }
        if len > 0 {
          dst.append(c)
          dst.append(sp)
          dst.append(contentsOf: src[(k + 1)...(k + len)])
          dst.append(sp)
          k += len + 2
          continue
        }
      }
      dst.append(c)
      k += 1
    }
    swapBuffers()
  }

  /// MacIntyre's CONTRACTIONS2, `(?i)\b(can)(not)\b` … `(?i)\b(wan)(na)(?=\s)` → ` \1 \2 `, in
  /// one pass: the eight patterns match different words and each only inserts spaces inside its
  /// own match (where no other pattern can start), so applying them together equals applying
  /// them one after another.
  mutating func splitContractions() {
    let n = src.count
    var copied = 0
    var k = 0
    while k + 4 <= n {
      let lead = PyClass.lowerASCII(src[k])
      // c, d, g, l, m, w start the patterns; most positions stop here.
      guard
        lead == 0x63 || lead == 0x64 || lead == 0x67 || lead == 0x6C || lead == 0x6D
          || lead == 0x77,
        k == 0 || !PyClass.isWord(src[k - 1])
      else {
        k += 1
        continue
      }
      var matched: (Int, Int)?
      for (index, pattern) in contractions2.enumerated() where pattern.0[0] == lead {
        let (first, second) = pattern
        let end = k + first.count + second.count
        guard end <= n, matches(first, at: k), matches(second, at: k + first.count) else {
          continue
        }
        // The last pattern (wan|na) needs a following space; the others a word boundary.
        let ok =
          index == contractions2.count - 1
          ? end < n && PyClass.isSpace(src[end]) : end == n || !PyClass.isWord(src[end])
        if ok {
          matched = (first.count, end)
          break
        }
      }
      guard let (split, end) = matched else {
        k += 1
        continue
      }
      dst.append(contentsOf: src[copied..<k])
      dst.append(sp)
      dst.append(contentsOf: src[k..<(k + split)])
      dst.append(sp)
      dst.append(contentsOf: src[(k + split)..<end])
      dst.append(sp)
      k = end
      copied = end
    }
    if copied > 0 {
      dst.append(contentsOf: src[copied..<n])
      swapBuffers()
    }
  }

  /// `(?i) ('t)(is|was)\b` → ` \1 \2 `.
  mutating func splitTis(_ second: [UInt32]) {
    guard src.contains(sq) else { return }
    let n = src.count
    let len = 3 + second.count
    var k = 0
    while k < n {
      if src[k] == sp, k + len <= n, src[k + 1] == sq, PyClass.lowerASCII(src[k + 2]) == 0x74,
        matches(second, at: k + 3), k + len == n || !PyClass.isWord(src[k + len])
      {
        dst += [sp, sq, src[k + 2], sp]
        dst.append(contentsOf: src[(k + 3)..<(k + len)])
        dst.append(sp)
        k += len
        continue
      }
      dst.append(src[k])
      k += 1
    }
    swapBuffers()
  }

  func matches(_ word: [UInt32], at k: Int) -> Bool {
    for (j, c) in word.enumerated() where PyClass.lowerASCII(src[k + j]) != c { return false }
    return true
  }
}

private let sp: UInt32 = 0x20
private let dq: UInt32 = 0x22
private let sq: UInt32 = 0x27
private let bt: UInt32 = 0x60
private let dot: UInt32 = 0x2E

private func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map { $0.value } }

private let cliticAlternatives = ["re", "ve", "ll", "m", "t", "s", "d", "n"].map(scalars)
private let longClitics = ["'ll", "'LL", "'re", "'RE", "'ve", "'VE", "n't", "N'T"].map(scalars)
private let contractions2 = [
  ("can", "not"), ("d", "'ye"), ("gim", "me"), ("gon", "na"), ("got", "ta"), ("lem", "me"),
  ("more", "'n"), ("wan", "na"),
].map { (scalars($0.0), scalars($0.1)) }
private let is_ = scalars("is")
private let was = scalars("was")

private func closersWithSpace(_ c: UInt32) -> Bool {
  closersASCII(c) || c == 0xBB || c == 0x201D || c == 0x2019 || c == sp
}

private func closersASCII(_ c: UInt32) -> Bool {
  c == 0x5D || c == 0x29 || c == 0x7D || c == 0x3E || c == dq || c == sq
}
