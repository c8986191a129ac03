/// WordNet lemmatization as NLTK's `WordNetLemmatizer.lemmatize(word, pos)`: WordNet's morphy
/// (exception lists, else one round of suffix substitutions), keeping candidates that are WordNet
/// lemmas of that part of speech, and returning the shortest (the word itself if none).
///
///     let lemmatizer = try WordNetLemmatizer()     // loads the shipped WordNet 3.0 data
///     lemmatizer.lemmatize("churches")             // "church"
///     lemmatizer.lemmatize("went", pos: .verb)     // "go"
///     lemmatizer.lemmatize("better", pos: .adjective)  // "good"
///
/// Like NLTK, the word is not lowercased (WordNet lemmas are lower-case; "Dogs" stays "Dogs").
/// Data: WordNet 3.0 (Princeton; licence in `Resources/wordnet/LICENSE.txt`).
public struct WordNetLemmatizer: Sendable {
  /// WordNet parts of speech (`n`, `v`, `a`, `r`).
  public enum POS: String, Sendable, CaseIterable {
    case noun = "n"
    case verb = "v"
    case adjective = "a"
    case adverb = "r"

    /// WordNet's part of speech for a Universal POS tag (NOUN, VERB, AUX, ADJ, ADV), or nil.
    public init?(universalTag tag: String) {
      switch tag {
      case "NOUN": self = .noun
      case "VERB", "AUX": self = .verb
      case "ADJ": self = .adjective
      case "ADV": self = .adverb
      default: return nil
      }
    }

    var fileName: String {
      switch self {
      case .noun: return "noun"
      case .verb: return "verb"
      case .adjective: return "adj"
      case .adverb: return "adv"
      }
    }

    /// WordNet's (and NLTK's `MORPHOLOGICAL_SUBSTITUTIONS`) detachment rules, in order.
    var substitutions: [(String, String)] {
      switch self {
      case .noun:
        return [
          ("s", ""), ("ses", "s"), ("ves", "f"), ("xes", "x"), ("zes", "z"), ("ches", "ch"),
          ("shes", "sh"), ("men", "man"), ("ies", "y"),
        ]
      case .verb:
        return [
          ("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"),
          ("ing", ""),
        ]
      case .adjective: return [("er", ""), ("est", ""), ("er", "e"), ("est", "e")]
      case .adverb: return []
      }
    }
  }

  let lemmas: [POS: Set<String>]
  let exceptions: [POS: [String: [String]]]

  /// Loads the shipped WordNet 3.0 files.
  public init() throws {
    try self.init(
      lemmasPath: ShippedData.path("wordnet/lemmas.tsv.gz"),
      exceptionsDirectory: ShippedData.path("wordnet"))
  }

  /// Loads `lemma<TAB>pos` rows (plain or .gz, with a header) and `{noun,verb,adj,adv}.exc`.
  public init(lemmasPath: String, exceptionsDirectory: String) throws {
    var lemmas: [POS: Set<String>] = [:]
    for pos in POS.allCases { lemmas[pos] = [] }
    let reader = try LineReader(path: lemmasPath)
    _ = try reader.next()  // header
    while let line = try reader.next() {
      guard let tab = line.lastIndex(of: "\t"),
        let pos = POS(rawValue: String(line[line.index(after: tab)...]))
      else {
        throw TextInputError(
          .malformedRecord, file: lemmasPath, line: reader.lineNumber,
          reason: "expected 'lemma<TAB>pos' with pos n, v, a or r; got \(line.debugDescription)",
          fix: "regenerate the lemma list from WordNet's index files")
      }
      lemmas[pos]!.insert(String(line[..<tab]))
    }
    var exceptions: [POS: [String: [String]]] = [:]
    for pos in POS.allCases {
      var map: [String: [String]] = [:]
      let path = exceptionsDirectory + "/" + pos.fileName + ".exc"
      let exc = try LineReader(path: path)
      while let line = try exc.next() {
        let terms = line.split(separator: " ").map(String.init)
        guard let first = terms.first else { continue }
        map[first] = Array(terms.dropFirst())
      }
      exceptions[pos] = map
    }
    self.lemmas = lemmas
    self.exceptions = exceptions
  }

  /// All WordNet lemmas `word` can be an inflection of (NLTK `_morphy`), in NLTK's order.
  public func candidates(_ word: String, pos: POS = .noun) -> [String] {
    var forms = [word]
    if let exc = exceptions[pos]?[word] {
      forms += exc
    } else {
      for (old, new) in pos.substitutions where word.hasSuffix(old) {
        forms.append(String(word.dropLast(old.count)) + new)
      }
    }
    var seen = Set<String>()
    let known = lemmas[pos]!
    return forms.filter { known.contains($0) && seen.insert($0).inserted }
  }

  /// The shortest candidate in code points (the first of equal length), or `word` itself.
  public func lemmatize(_ word: String, pos: POS = .noun) -> String {
    let c = candidates(word, pos: pos)
    guard var best = c.first else { return word }
    for form in c.dropFirst() where form.unicodeScalars.count < best.unicodeScalars.count {
      best = form
    }
    return best
  }
}
