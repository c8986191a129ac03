/// The Porter stemmer (M. F. Porter, "An algorithm for suffix stripping", 1980) in the three
/// variants NLTK implements (`nltk.stem.porter.PorterStemmer`), rule for rule.
///
///     let stemmer = PorterStemmer()            // .nltk, NLTK's default
///     stemmer.stem("running")                  // "run"
///     PorterStemmer(mode: .original).stem("generously")  // "gener"
///
/// Words are lowercased first (as NLTK's `to_lowercase=True`). Letters are Unicode scalars, so
/// non-ASCII words are handled as NLTK handles Python characters.
public struct PorterStemmer: Sendable {
  /// Which rule set to apply.
  public enum Mode: String, Sendable, CaseIterable {
    /// The algorithm exactly as published in 1980.
    case original
    /// With the changes in Martin Porter's own hosted implementations (the classic `output.txt`).
    case martin
    /// NLTK's default: Martin's changes plus NLTK's extensions (irregular forms, `-ies`/`-ied`
    /// on short words, `y → i` only after a consonant, `-alli`, `-fulli`, `-logi`).
    case nltk
  }

  public let mode: Mode
  let step1aRules: [Rule]
  let step2Rules: [Rule]
  let step3Rules: [Rule]
  let step4Rules: [Rule]

  public init(mode: Mode = .nltk) {
    self.mode = mode
    step1aRules = [
      Rule("sses", "ss", .always), Rule("ies", "i", .always), Rule("ss", "ss", .always),
      Rule("s", "", .always),
    ]
    var step2: [Rule] = [
      Rule("ational", "ate", .measureAbove0), Rule("tional", "tion", .measureAbove0),
      Rule("enci", "ence", .measureAbove0), Rule("anci", "ance", .measureAbove0),
      Rule("izer", "ize", .measureAbove0),
      mode == .original
        ? Rule("abli", "able", .measureAbove0) : Rule("bli", "ble", .measureAbove0),
      Rule("alli", "al", .measureAbove0), Rule("entli", "ent", .measureAbove0),
      Rule("eli", "e", .measureAbove0), Rule("ousli", "ous", .measureAbove0),
      Rule("ization", "ize", .measureAbove0), Rule("ation", "ate", .measureAbove0),
      Rule("ator", "ate", .measureAbove0), Rule("alism", "al", .measureAbove0),
      Rule("iveness", "ive", .measureAbove0), Rule("fulness", "ful", .measureAbove0),
      Rule("ousness", "ous", .measureAbove0), Rule("aliti", "al", .measureAbove0),
      Rule("iviti", "ive", .measureAbove0), Rule("biliti", "ble", .measureAbove0),
    ]
    switch mode {
    case .nltk:
      step2.append(Rule("fulli", "ful", .measureAbove0))
      // NLTK measures the word minus "ogi" (keeping the "l") for this rule.
      step2.append(Rule("logi", "log", .measureAbove0KeepingOne))
    case .martin:
      step2.append(Rule("logi", "log", .measureAbove0))
    case .original:
      break
    }
    step2Rules = step2
    step3Rules = [
      Rule("icate", "ic", .measureAbove0), Rule("ative", "", .measureAbove0),
      Rule("alize", "al", .measureAbove0), Rule("iciti", "ic", .measureAbove0),
      Rule("ical", "ic", .measureAbove0), Rule("ful", "", .measureAbove0),
      Rule("ness", "", .measureAbove0),
    ]
    step4Rules = [
      "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou",
      "ism", "ate", "iti", "ous", "ive", "ize",
    ].map { Rule($0, "", $0 == "ion" ? .measureAbove1EndsSOrT : .measureAbove1) }
  }

  /// NLTK mode's irregular forms (word → stem), applied before the rules.
  static let irregular: [String: String] = [
    "sky": "sky", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie", "news": "news",
    "innings": "inning", "inning": "inning", "outings": "outing", "outing": "outing",
    "cannings": "canning", "canning": "canning", "howe": "howe", "proceed": "proceed",
    "exceed": "exceed", "succeed": "succeed",
  ]

  /// The stem of `word` (lowercased first).
  public func stem(_ word: String) -> String {
    let lower = word.lowercased()
    if mode == .nltk, let irregular = Self.irregular[lower] { return irregular }
    // NLTK compares the length of the word as given (code points), before lowercasing.
    if mode != .original, word.unicodeScalars.count <= 2 { return lower }
    var w = lower.unicodeScalars.map { $0.value }
    stemLetters(&w)
    var out = String.UnicodeScalarView()
    for v in w { out.append(Unicode.Scalar(v)!) }
    return String(out)
  }

  /// Runs the five steps on a lowercased word held as Unicode scalar values.
  func stemLetters(_ w: inout [UInt32]) {
    step1a(&w)
    step1b(&w)
    step1c(&w)
    step2(&w)
    _ = applyRules(&w, step3Rules)
    _ = applyRules(&w, step4Rules)
    step5a(&w)
    step5b(&w)
  }

  // MARK: - Rules

  enum Condition: Sendable {
    case always, measureAbove0, measureAbove1, measureAbove1EndsSOrT, measureAbove0KeepingOne
  }

  struct Rule: Sendable {
    let suffix: [UInt32]
    let replacement: [UInt32]
    let condition: Condition
    init(_ suffix: String, _ replacement: String, _ condition: Condition) {
      self.suffix = suffix.unicodeScalars.map { $0.value }
      self.replacement = replacement.unicodeScalars.map { $0.value }
      self.condition = condition
    }
  }

  func holds(_ c: Condition, _ w: [UInt32], stemLength n: Int) -> Bool {
    switch c {
    case .always: return true
    case .measureAbove0: return measure(w, n) > 0
    case .measureAbove1: return measure(w, n) > 1
    case .measureAbove1EndsSOrT:
      return measure(w, n) > 1 && (w[n - 1] == s || w[n - 1] == t)
    case .measureAbove0KeepingOne: return measure(w, n + 1) > 0
    }
  }

  /// Applies the first rule whose suffix matches (NLTK `_apply_rule_list`): a matching suffix
  /// whose condition fails stops the search. Returns whether a suffix matched.
  @discardableResult
  func applyRules(_ w: inout [UInt32], _ rules: [Rule]) -> Bool {
    for rule in rules where endsWith(w, rule.suffix) {
      let n = w.count - rule.suffix.count
      if holds(rule.condition, w, stemLength: n) {
        w.removeLast(rule.suffix.count)
        w.append(contentsOf: rule.replacement)
      }
      return true
    }
    return false
  }

  func step1a(_ w: inout [UInt32]) {
    if mode == .nltk, w.count == 4, endsWith(w, ies) {
      w.removeLast()  // "ties" → "tie"
      return
    }
    applyRules(&w, step1aRules)
  }

  func step1b(_ w: inout [UInt32]) {
    if mode == .nltk, endsWith(w, ied) {
      w.removeLast(w.count == 4 ? 1 : 2)  // "died" → "die", "cried" → "cri"
      return
    }
    if endsWith(w, eed) {
      if measure(w, w.count - 3) > 0 { w.removeLast() }
      return
    }
    var n = -1
    if endsWith(w, ed), containsVowel(w, w.count - 2) {
      n = w.count - 2
    } else if endsWith(w, ing), containsVowel(w, w.count - 3) {
      n = w.count - 3
    }
    guard n >= 0 else { return }
    w.removeLast(w.count - n)
    if endsWith(w, at) || endsWith(w, bl) || endsWith(w, iz) {
      w.append(e)
    } else if endsDoubleConsonant(w, w.count) {
      let last = w[w.count - 1]
      if last != l && last != s && last != z { w.removeLast() }
    } else if measure(w, w.count) == 1 && endsCVC(w, w.count) {
      w.append(e)
    }
  }

  func step1c(_ w: inout [UInt32]) {
    guard let last = w.last, last == y else { return }
    let n = w.count - 1
    let ok =
      mode == .nltk
      ? n > 1 && isConsonant(w, n - 1)
      : containsVowel(w, n)
    if ok { w[n] = i }
  }

  func step2(_ w: inout [UInt32]) {
    if mode == .nltk, endsWith(w, alli), measure(w, w.count - 4) > 0 {
      w.removeLast(2)  // "alli" → "al", then step 2 again
      step2(&w)
      return
    }
    applyRules(&w, step2Rules)
  }

  func step5a(_ w: inout [UInt32]) {
    guard w.last == e else { return }
    let n = w.count - 1
    let m = measure(w, n)
    if m > 1 || (m == 1 && !endsCVC(w, n)) { w.removeLast() }
  }

  func step5b(_ w: inout [UInt32]) {
    if endsWith(w, ll), measure(w, w.count - 1) > 1 { w.removeLast() }
  }

  // MARK: - Letters

  /// A consonant is a letter other than a e i o u, and other than y preceded by a consonant.
  func isConsonant(_ w: [UInt32], _ index: Int) -> Bool {
    var k = index
    let c = w[k]
    if c == a || c == e || c == i || c == o || c == u { return false }
    if c != y { return true }
    var negate = false
    while k > 0, w[k] == y {
      negate.toggle()
      k -= 1
    }
    return !isVowel(w[k]) != negate
  }

  func isVowel(_ c: UInt32) -> Bool { c == a || c == e || c == i || c == o || c == u }

  /// m in [C](VC){m}[V] for the first `n` letters: the number of vowel→consonant transitions.
  func measure(_ w: [UInt32], _ n: Int) -> Int {
    var m = 0
    var previousConsonant = true
    var previousWasVowel = false
    for k in 0..<n {
      let c = w[k]
      let consonant: Bool
      if isVowel(c) {
        consonant = false
      } else if c == y {
        consonant = k == 0 ? true : !previousConsonant
      } else {
        consonant = true
      }
      if consonant && previousWasVowel { m += 1 }
      previousWasVowel = !consonant
      previousConsonant = consonant
    }
    return m
  }

  func containsVowel(_ w: [UInt32], _ n: Int) -> Bool {
    var previousConsonant = true
    for k in 0..<n {
      let c = w[k]
      let consonant = isVowel(c) ? false : (c == y ? (k == 0 ? true : !previousConsonant) : true)
      if !consonant { return true }
      previousConsonant = consonant
    }
    return false
  }

  func endsDoubleConsonant(_ w: [UInt32], _ n: Int) -> Bool {
    n >= 2 && w[n - 1] == w[n - 2] && isConsonant(w, n - 1)
  }

  /// *o: the stem ends consonant–vowel–consonant, the last not w, x or y (NLTK mode also
  /// accepts a two-letter vowel–consonant stem).
  func endsCVC(_ w: [UInt32], _ n: Int) -> Bool {
    if n >= 3, isConsonant(w, n - 3), !isConsonant(w, n - 2), isConsonant(w, n - 1) {
      let last = w[n - 1]
      if last != 0x77 && last != 0x78 && last != y { return true }
    }
    return mode == .nltk && n == 2 && !isConsonant(w, 0) && isConsonant(w, 1)
  }

  func endsWith(_ w: [UInt32], _ suffix: [UInt32]) -> Bool {
    let n = w.count
    let k = suffix.count
    guard n >= k else { return false }
    for j in 0..<k where w[n - k + j] != suffix[j] { return false }
    return true
  }
}

// ASCII letters used by the rules, as Unicode scalar values.
private let a: UInt32 = 0x61
private let e: UInt32 = 0x65
private let i: UInt32 = 0x69
private let o: UInt32 = 0x6F
private let u: UInt32 = 0x75
private let y: UInt32 = 0x79
private let l: UInt32 = 0x6C
private let s: UInt32 = 0x73
private let t: UInt32 = 0x74
private let z: UInt32 = 0x7A
private let ies: [UInt32] = [i, e, s]
private let ied: [UInt32] = [i, e, 0x64]
private let eed: [UInt32] = [e, e, 0x64]
private let ed: [UInt32] = [e, 0x64]
private let ing: [UInt32] = [i, 0x6E, 0x67]
private let at: [UInt32] = [a, t]
private let bl: [UInt32] = [0x62, l]
private let iz: [UInt32] = [i, z]
private let ll: [UInt32] = [l, l]
private let alli: [UInt32] = [a, l, l, i]
