// `recurrent embeddings`: train word2vec / fastText vectors, evaluate them, query them.
import ArgumentParser
import Foundation
import RecurrentEmbeddings

/// `recurrent embeddings train|eval|similar|analogy`.
struct EmbeddingsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "embeddings",
    abstract:
      "Word embeddings: word2vec (skip-gram, CBOW) and fastText; files, queries, evaluation.",
    subcommands: [Train.self, Eval.self, Similar.self, Analogy.self])

  struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Train vectors on a text corpus.")

    @Option(help: "UTF-8 text, one sentence per line (.gz accepted).") var corpus: String
    @Option(help: "skipgram, cbow or fasttext.") var model: String = "cbow"
    @OptionGroup var training: EmbeddingTrainingOptions
    @Flag(help: "Hierarchical softmax (word2vec; with --negative 0, the only loss).") var hs = false
    @Flag(help: "CBOW: sum the context instead of averaging it.") var cbowSum = false
    @Option(help: "Output file (.bin → word2vec binary, else text / .vec).") var output: String
    @Flag(help: "Print a JSON summary as the last line.") var json = false

    func run() throws {
      let loadStart = Date()
      let text = try EmbeddingCorpus.load(path: corpus)
      let readSeconds = Date().timeIntervalSince(loadStart)
      let vectors: WordVectors
      let report: TrainingReport
      switch model {
      case "skipgram", "cbow":
        var config = training.word2vec(model == "skipgram" ? .skipGram : .cbow)
        config.cbowMean = !cbowSum
        config.hierarchicalSoftmax = hs
        (vectors, report) = try Word2Vec.train(corpus: text, configuration: config)
      case "fasttext":
        let trained = try FastText.train(corpus: text, configuration: training.fastText())
        vectors = trained.model.wordVectors()
        report = trained.report
      default:
        throw ValidationError("--model must be skipgram, cbow or fasttext, received '\(model)'")
      }
      try vectors.save(path: output, format: .guess(path: output))
      print(
        "trained \(model) on \(text.tokenCount) tokens, vocabulary \(report.vocabularySize), "
          + String(format: "%.2f s, %.0f raw words/s", report.seconds, report.rawWordsPerSecond))
      if json {
        try printJSONLine([
          "model": model, "seconds": report.seconds, "words_per_s": report.rawWordsPerSecond,
          "effective_words_per_s": report.effectiveWordsPerSecond,
          "vocab_size": report.vocabularySize,
          "raw_words": report.rawWords, "effective_words": report.effectiveWords,
          "threads": training.threads,
          "read_seconds": readSeconds,
        ])
      }
    }
  }

  struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Analogy accuracy and word-similarity Spearman ρ (as gensim's evaluators).")

    @Option(help: "Vector file (.bin → word2vec binary, else text).") var vectors: String
    @Option(help: "Analogy questions (questions-words.txt).") var analogies: String?
    @Option(parsing: .upToNextOption, help: "Word-pair similarity files.") var similarity:
      [String] = []
    @Option(help: "Analogies use only the N most frequent words (gensim's restrict_vocab).")
    var restrictVocab: Int = 30_000
    @Option(help: "Word pairs use only the N most frequent words (gensim's default 300,000).")
    var similarityRestrictVocab: Int = 300_000
    @Flag(help: "Print a JSON summary as the last line.") var json = false

    func run() throws {
      let wv = try WordVectors.load(path: vectors)
      var object: [String: Any] = [
        "vectors": vectors, "restrict_vocab": restrictVocab,
        "similarity_restrict_vocab": similarityRestrictVocab,
      ]
      if let analogies {
        let result = try AnalogyEvaluation.evaluate(
          wv, questionsPath: analogies, restrictVocab: restrictVocab)
        for section in result.sections {
          print(
            String(
              format: "%@: %.1f%% (%d/%d)", section.name, 100 * section.accuracy, section.correct,
              section.total))
        }
        print(
          String(
            format: "analogy total: %.2f%% (%d/%d), OOV questions %.1f%%", 100 * result.accuracy,
            result.correct, result.total, 100 * result.oovRate))
        object["analogy_accuracy"] = result.accuracy
        object["analogy_oov_rate"] = result.oovRate
        object["analogy_sections"] = Dictionary(
          uniqueKeysWithValues: result.sections.map { ($0.name, $0.accuracy) })
      }
      var spearman: [String: Double] = [:]
      var oov: [String: Double] = [:]
      for path in similarity {
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let r = try WordPairEvaluation.evaluate(
          wv, pairsPath: path, restrictVocab: similarityRestrictVocab)
        print(
          String(
            format: "%@: Spearman %.4f, Pearson %.4f, OOV %.1f%%", name, r.spearman, r.pearson,
            100 * r.oovRate))
        spearman[name] = r.spearman
        oov[name] = r.oovRate
      }
      object["spearman"] = spearman
      object["oov_rate"] = oov
      if json { try printJSONLine(object) }
    }
  }

  struct Similar: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Most similar words by cosine.")
    @Option(help: "Vector file.") var vectors: String
    @Argument(help: "Words (their mean is the query).") var words: [String]
    @Option(help: "How many.") var top: Int = 10
    @Option(help: "Search only the N most frequent words.") var restrictVocab: Int?
    @Flag(help: "Print a JSON summary as the last line.") var json = false

    func run() throws {
      let wv = try WordVectors.load(path: vectors)
      let result = try wv.mostSimilar(positive: words, topN: top, restrictVocab: restrictVocab)
      for (w, s) in result { print(String(format: "%@\t%.4f", w, s)) }
      if json {
        try printJSONLine(["similar": result.map { [$0.word, Double($0.similarity)] }])
      }
    }
  }

  struct Analogy: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "a : b :: c : ? by 3CosAdd (default) or 3CosMul.")
    @Option(help: "Vector file.") var vectors: String
    @Argument(help: "a b c") var words: [String]
    @Option(help: "How many.") var top: Int = 5
    @Flag(help: "3CosMul instead of 3CosAdd.") var cosmul = false
    @Flag(help: "Print a JSON summary as the last line.") var json = false

    func validate() throws {
      guard words.count == 3 else { throw ValidationError("give exactly three words: a b c") }
    }

    func run() throws {
      let wv = try WordVectors.load(path: vectors)
      let (a, b, c) = (words[0], words[1], words[2])
      let result =
        cosmul
        ? try wv.mostSimilarCosMul(positive: [b, c], negative: [a], topN: top)
        : try wv.mostSimilar(positive: [b, c], negative: [a], topN: top)
      for (w, s) in result { print(String(format: "%@\t%.4f", w, s)) }
      if json {
        try printJSONLine(["analogy": result.map { [$0.word, Double($0.similarity)] }])
      }
    }
  }
}
