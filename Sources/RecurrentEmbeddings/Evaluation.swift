// Intrinsic evaluation exactly as gensim's KeyedVectors.evaluate_word_analogies (3CosAdd over
// the `restrictVocab` most frequent words, case-insensitive, questions with an out-of-vocabulary
// word skipped and counted in the OOV rate) and evaluate_word_pairs (Spearman ρ and Pearson r
// between cosine similarity and the human score over in-vocabulary pairs).
import Foundation

/// Accuracy on analogy questions `a b c d` (a : b :: c : d) in sections headed `: name`.
///
/// ```swift
/// let r = try AnalogyEvaluation.evaluate(wv, questionsPath: "questions-words.txt")
/// print(r.accuracy, r.oovRate)
/// ```
public enum AnalogyEvaluation {
  /// One section's result.
  public struct Section: Sendable {
    /// The name after `: `.
    public var name: String
    /// Questions answered correctly.
    public var correct: Int
    /// Questions evaluated (all words in the restricted vocabulary).
    public var total: Int
    /// correct / total (0 for an empty section).
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }
  }

  /// The whole run.
  public struct Result: Sendable {
    /// Sections in file order.
    public var sections: [Section]
    /// Questions skipped because a word is outside the restricted vocabulary.
    public var oov: Int
    /// All questions read.
    public var questions: Int
    /// Correct answers over all sections.
    public var correct: Int { sections.reduce(0) { $0 + $1.correct } }
    /// Evaluated questions over all sections.
    public var total: Int { sections.reduce(0) { $0 + $1.total } }
    /// correct / total (gensim's "Total accuracy").
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }
    /// oov / questions.
    public var oovRate: Double { questions == 0 ? 0 : Double(oov) / Double(questions) }
  }

  /// Upper-cased word → row over the first `restrictVocab` rows; the first (most frequent)
  /// spelling wins, as gensim builds `ok_vocab` from the reversed list.
  static func okVocabulary(_ wv: WordVectors, restrictVocab: Int, caseInsensitive: Bool)
    -> [String: Int]
  {
    var ok: [String: Int] = [:]
    for row in 0..<min(restrictVocab, wv.count) {
      let key = caseInsensitive ? wv.words[row].uppercased() : wv.words[row]
      if ok[key] == nil { ok[key] = row }
    }
    return ok
  }

  /// Evaluates `wv` on the questions file.
  public static func evaluate(
    _ wv: WordVectors, questionsPath: String, restrictVocab: Int = 30_000,
    caseInsensitive: Bool = true
  ) throws -> Result {
    guard let data = FileManager.default.contents(atPath: questionsPath) else {
      throw EmbeddingsError.unreadable(path: questionsPath, reason: "no such file or not readable")
    }
    let ok = okVocabulary(wv, restrictVocab: restrictVocab, caseInsensitive: caseInsensitive)
    let limit = min(restrictVocab, wv.count)
    var result = Result(sections: [], oov: 0, questions: 0)
    for (number, raw) in String(decoding: data, as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false
    ).enumerated() {
      let line = String(raw)
      if line.hasPrefix(": ") || line.hasPrefix(":") {
        let name = line.drop(while: { $0 == ":" || $0 == " " }).trimmingCharacters(in: .whitespaces)
        result.sections.append(Section(name: name, correct: 0, total: 0))
        continue
      }
      let fields = line.split(whereSeparator: \.isWhitespace).map {
        caseInsensitive ? $0.uppercased() : String($0)
      }
      if fields.isEmpty { continue }
      guard !result.sections.isEmpty else {
        throw EmbeddingsError.malformed(
          path: questionsPath, location: "line \(number + 1)",
          reason: "missing section header ': name' before the first question")
      }
      guard fields.count == 4 else { continue }  // gensim skips invalid lines
      result.questions += 1
      guard let a = ok[fields[0]], let b = ok[fields[1]], let c = ok[fields[2]],
        ok[fields[3]] != nil
      else {
        result.oov += 1
        continue
      }
      let ignore: Set<String> = [fields[0], fields[1], fields[2]]
      let sims = wv.mostSimilar(rows: [b, c], negativeRows: [a], topN: 5, limit: limit)
      var predicted: String? = nil
      for row in sims {
        predicted = caseInsensitive ? wv.words[row].uppercased() : wv.words[row]
        if ok[predicted!] != nil && !ignore.contains(predicted!) { break }
      }
      let s = result.sections.count - 1
      result.sections[s].total += 1
      if predicted == fields[3] { result.sections[s].correct += 1 }
    }
    return result
  }
}

/// Spearman / Pearson correlation with human similarity scores (`word1<TAB>word2<TAB>score`).
///
/// ```swift
/// let r = try WordPairEvaluation.evaluate(wv, pairsPath: "EN-WS-353-ALL.txt")
/// print(r.spearman, r.oovRate)
/// ```
public enum WordPairEvaluation {
  /// Correlations and coverage.
  public struct Result: Sendable {
    /// Spearman's ρ (average ranks for ties, as scipy.stats.spearmanr).
    public var spearman: Double
    /// Pearson's r.
    public var pearson: Double
    /// Pairs evaluated.
    public var pairs: Int
    /// Pairs skipped because a word has no vector in the restricted vocabulary.
    public var oov: Int
    /// oov / (pairs + oov).
    public var oovRate: Double { Double(oov) / Double(max(pairs + oov, 1)) }
  }

  /// Evaluates `wv` on a pairs file (gensim's default `restrict_vocab` is 300,000).
  public static func evaluate(
    _ wv: WordVectors, pairsPath: String, restrictVocab: Int = 300_000,
    caseInsensitive: Bool = true
  ) throws -> Result {
    guard let data = FileManager.default.contents(atPath: pairsPath) else {
      throw EmbeddingsError.unreadable(path: pairsPath, reason: "no such file or not readable")
    }
    let ok = AnalogyEvaluation.okVocabulary(
      wv, restrictVocab: restrictVocab, caseInsensitive: caseInsensitive)
    var gold: [Double] = []
    var model: [Double] = []
    var oov = 0
    for raw in String(decoding: data, as: UTF8.self).split(separator: "\n") {
      if raw.hasPrefix("#") { continue }
      let fields = raw.split(separator: "\t", omittingEmptySubsequences: false)
      guard fields.count == 3,
        let score = Double(fields[2].trimmingCharacters(in: .whitespacesAndNewlines))
      else { continue }  // gensim skips invalid lines
      let a = caseInsensitive ? fields[0].uppercased() : String(fields[0])
      let b = caseInsensitive ? fields[1].uppercased() : String(fields[1])
      guard let ra = ok[a], let rb = ok[b] else {
        oov += 1
        continue
      }
      gold.append(score)
      model.append(Double(wv.cosine(rows: ra, rb)))
    }
    guard !gold.isEmpty else {
      throw EmbeddingsError.malformed(
        path: pairsPath, location: "whole file",
        reason: "no valid pair with both words in the vocabulary")
    }
    return Result(
      spearman: pearson(ranks(gold), ranks(model)), pearson: pearson(gold, model),
      pairs: gold.count, oov: oov)
  }

  /// Ranks 1…n, ties get their average rank.
  static func ranks(_ x: [Double]) -> [Double] {
    let order = x.indices.sorted { x[$0] < x[$1] }
    var result = [Double](repeating: 0, count: x.count)
    var i = 0
    while i < order.count {
      var j = i
      while j + 1 < order.count && x[order[j + 1]] == x[order[i]] { j += 1 }
      let rank = Double(i + j) / 2 + 1
      for k in i...j { result[order[k]] = rank }
      i = j + 1
    }
    return result
  }

  /// Pearson correlation.
  static func pearson(_ x: [Double], _ y: [Double]) -> Double {
    let n = Double(x.count)
    let mx = x.reduce(0, +) / n
    let my = y.reduce(0, +) / n
    var sxy = 0.0
    var sxx = 0.0
    var syy = 0.0
    for i in x.indices {
      sxy += (x[i] - mx) * (y[i] - my)
      sxx += (x[i] - mx) * (x[i] - mx)
      syy += (y[i] - my) * (y[i] - my)
    }
    return sxy / (sxx * syy).squareRoot()
  }
}

extension WordVectors {
  /// Cosine of two rows.
  func cosine(rows a: Int, _ b: Int) -> Float {
    var dot: Float = 0
    for i in 0..<dimension { dot += vectors[a * dimension + i] * vectors[b * dimension + i] }
    let n = norms[a] * norms[b]
    return n > 0 ? dot / n : 0
  }

  /// Rows of gensim's most_similar over rows `0..<limit` (input rows excluded).
  func mostSimilar(rows positive: [Int], negativeRows negative: [Int], topN: Int, limit: Int)
    -> [Int]
  {
    var mean = [Float](repeating: 0, count: dimension)
    for (r, weight) in positive.map({ ($0, Float(1)) }) + negative.map({ ($0, Float(-1)) }) {
      let unit = unitVector(row: r)
      for i in 0..<dimension { mean[i] += weight * unit[i] }
    }
    let scores = cosines(mean, limit: limit)
    return topRows(scores, topN: topN, excluding: Set(positive + negative))
  }
}
