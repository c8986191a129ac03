// `recurrent sentiment`: train, evaluate, predict with and cross-validate sentiment classifiers.
import ArgumentParser
import Foundation
import RecurrentEmbeddings
import RecurrentTasks

/// `recurrent sentiment train|evaluate|predict|cv`.
struct SentimentCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sentiment",
    abstract:
      "Sentiment classifiers: Naive Bayes, NB-SVM, SVM, logistic regression, (Bi)LSTM, GRU.",
    subcommands: [
      Train.self, Evaluate.self, Predict.self, CrossValidate.self, Vectors.self, Pretrain.self,
    ])
}

/// The columns of a TSV/CSV data file.
struct DataColumns: ParsableArguments {
  @Option(help: "TSV or CSV file with a header row (.gz accepted).") var data: String
  @Option(help: "Name of the text column.") var textColumn = "text"
  @Option(help: "Name of the label column.") var labelColumn = "label"

  func read(foldColumn: String? = nil) throws -> LabeledTexts {
    try LabeledTexts(
      contentsOf: data, textColumn: textColumn, labelColumn: labelColumn, foldColumn: foldColumn)
  }
}

/// Settings of the recurrent models (ignored by the linear ones).
struct TrainingSettings: ParsableArguments {
  @Option(help: "Seed for initialization, dropout and shuffling.") var seed: UInt64 =
    SentimentOptions().seed
  @Option(help: "Maximum epochs (early stopping on a validation split may end sooner).")
  var epochs = SentimentOptions().epochs
  @Option(help: "Batch size.") var batchSize = SentimentOptions().batchSize
  @Option(help: "Words per text after padding / truncation.") var maxLength = SentimentOptions()
    .maxLength
  @Option(help: "Vocabulary size, including padding and OOV.") var vocabularySize =
    SentimentOptions().vocabularySize
  @Option(help: "Embedding size.") var embeddingDim = SentimentOptions().embeddingDim
  @Option(help: "Recurrent units per direction.") var hidden = SentimentOptions().hiddenUnits
  @Option(help: "Dropout before the output layer.") var dropout = SentimentOptions().dropout
  @Option(help: "Adam learning rate.") var learningRate = SentimentOptions().learningRate
  @Option(help: "Fraction held out for early stopping (0 disables it).") var validationSplit =
    SentimentOptions().validationSplit
  @Option(help: "Early-stopping patience in epochs.") var patience = SentimentOptions().patience
  @Option(help: "Early stopping watches val_loss or val_accuracy.") var monitor = SentimentOptions()
    .monitor
  @Option(help: "Pretrained word vectors (word2vec text/binary or fastText .vec).")
  var vectors: String?
  @Flag(help: "Keep the pretrained vectors fixed (Kim's static) instead of fine-tuning them.")
  var freezeEmbeddings = false
  @Option(help: "Fraction of word-vector channels dropped per sentence (SpatialDropout1D).")
  var embeddingDropout = SentimentOptions().embeddingDropout
  @Option(help: "Recurrent dropout of h(t-1) in the recurrent product.") var recurrentDropout =
    SentimentOptions().recurrentDropout
  @Option(help: "What the output layer reads: last, max, mean or maxMean over time.")
  var pooling = SentimentOptions().pooling.rawValue
  @Option(help: "Fraction of training words replaced by the out-of-vocabulary id (word dropout).")
  var wordDropout = SentimentOptions().wordDropout
  @Option(
    help: "Decay of a moving average of the weights that early stopping checks and keeps (0: off).")
  var weightAveraging = SentimentOptions().weightAveraging
  @Option(help: "Early-stopping validation checks per epoch.") var checksPerEpoch =
    SentimentOptions().checksPerEpoch
  @Option(help: "Networks (seeds seed, seed+1, …) whose probabilities are averaged.")
  var ensemble = SentimentOptions().ensemble
  @Option(
    help: "With --vectors: single, sum or concat (a frozen copy beside the tuned table, Kim's).")
  var embeddingChannels = SentimentOptions().embeddingChannels.rawValue
  @Option(help: "With --vectors: L2 penalty pulling tuned vectors towards the pretrained (L2-SP).")
  var embeddingL2sp = SentimentOptions().embeddingL2SP
  @Option(help: "The embedding table's learning rate as a multiple of --learning-rate.")
  var embeddingLrMultiplier = SentimentOptions().embeddingLearningRateMultiplier
  @Option(
    help: "With --vectors, for lstm/bilstm: LSTM weights from `sentiment pretrain` over them.")
  var pretrainedEncoder: String?
  @Option(help: "0 silent, 1 progress bar, 2 one line per epoch.") var verbose = SentimentOptions()
    .verbose

  var options: SentimentOptions {
    get throws {
      var o = SentimentOptions()
      guard let pooling = SentimentPooling(rawValue: pooling) else {
        throw ValidationError(
          "unknown pooling '\(pooling)'; use one of "
            + SentimentPooling.allCases.map(\.rawValue).joined(separator: ", "))
      }
      o.pooling = pooling
      guard let channels = SentimentEmbeddingChannels(rawValue: embeddingChannels) else {
        throw ValidationError(
          "unknown embedding channels '\(embeddingChannels)'; use one of "
            + SentimentEmbeddingChannels.allCases.map(\.rawValue).joined(separator: ", "))
      }
      o.embeddingChannels = channels
      o.embeddingL2SP = embeddingL2sp
      o.embeddingLearningRateMultiplier = embeddingLrMultiplier
      o.pretrainedEncoder = pretrainedEncoder
      o.freezeEmbeddings = freezeEmbeddings
      o.embeddingDropout = embeddingDropout
      o.recurrentDropout = recurrentDropout
      o.ensemble = ensemble
      o.wordDropout = wordDropout
      o.weightAveraging = weightAveraging
      o.checksPerEpoch = checksPerEpoch
      o.seed = seed
      o.epochs = epochs
      o.batchSize = batchSize
      o.maxLength = maxLength
      o.vocabularySize = vocabularySize
      o.embeddingDim = embeddingDim
      o.hiddenUnits = hidden
      o.dropout = dropout
      o.learningRate = learningRate
      o.validationSplit = validationSplit
      o.patience = patience
      o.monitor = monitor
      o.pretrainedVectors = vectors
      o.verbose = verbose
      return o
    }
  }
}

func parseKind(_ name: String) throws -> SentimentModelKind {
  guard let kind = SentimentModelKind(rawValue: name) else {
    throw ValidationError(
      "unknown model '\(name)'; use one of "
        + SentimentModelKind.allCases.map(\.rawValue).joined(separator: ", "))
  }
  return kind
}

func reportJSON(_ report: ClassificationReport) -> [String: Any] {
  [
    "accuracy": report.accuracy, "macro_f1": report.macroF1, "classes": report.classes,
    "precision": report.precision, "recall": report.recall, "f1": report.f1,
    "confusion": report.confusion,
  ]
}

extension SentimentCommand {
  struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Train a classifier and save it as a directory.")
    @OptionGroup var columns: DataColumns
    @Option(help: "nb, nbsvm, svm, logreg, lstm, bilstm or gru.") var model = "nbsvm"
    @Option(help: "Directory to write the model to (replaced if it exists).") var output: String
    @OptionGroup var settings: TrainingSettings
    @Flag(help: "Print a JSON summary as the last line.") var json = false

    func run() throws {
      let kind = try parseKind(model)
      let data = try columns.read()
      var options = try settings.options
      if json && options.verbose == 1 { options.verbose = 2 }
      let start = Date()
      let classifier = try SentimentClassifier(training: data, kind: kind, options: options)
      let seconds = Date().timeIntervalSince(start)
      try classifier.save(to: URL(fileURLWithPath: output))
      let summary =
        "trained \(kind.rawValue) on \(data.count) texts, classes \(classifier.classes), "
        + String(format: "%.1f s", seconds) + "; saved to \(output)"
      if json {
        FileHandle.standardError.write(Data((summary + "\n").utf8))
        try printJSONLine([
          "model": kind.rawValue, "documents": data.count, "classes": classifier.classes,
          "train_seconds": seconds, "output": output,
        ])
      } else {
        print(summary)
      }
    }
  }

  struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Accuracy, precision, recall, F1 and the confusion matrix on labeled data.")
    @Option(help: "A model directory written by `sentiment train`.") var model: String
    @OptionGroup var columns: DataColumns
    @Flag(help: "Print the results as one JSON object on the last line.") var json = false

    func run() throws {
      let classifier = try SentimentClassifier(contentsOf: URL(fileURLWithPath: model))
      let report = try classifier.evaluate(try columns.read())
      if json {
        var object = reportJSON(report)
        object["model"] = classifier.kind.rawValue
        try printJSONLine(object)
      } else {
        print(report.table)
      }
    }
  }

  struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Read texts from standard input, one per line; print label and probability per line "
        + "(the SVMs print their decision value instead of a probability).")
    @Option(help: "A model directory written by `sentiment train`.") var model: String
    @Option(help: "Also print the n-grams that weighed most (linear models).") var explain = 0

    func run() throws {
      let classifier = try SentimentClassifier(contentsOf: URL(fileURLWithPath: model))
      while let line = readLine() {
        let text = line.trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
          print("")
          continue
        }
        let p = try classifier.predict([text])[0]
        let value =
          p.probability.map { String(format: "%.4f", $0) }
          ?? String(format: "score=%.4f", p.scores.count == 1 ? p.scores[0] : p.scores.max() ?? 0)
        var out = "\(p.label)\t\(value)"
        if explain > 0, let why = try classifier.explain(text, top: explain) {
          out +=
            "\t"
            + why.map { "\($0.ngram)(\(String(format: "%+.3f", $0.weight)))" }
            .joined(separator: " ")
        }
        print(out)
      }
    }
  }

  struct CrossValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "cv", abstract: "k-fold cross-validation accuracy and macro F1.")
    @OptionGroup var columns: DataColumns
    @Option(help: "nb, nbsvm, svm, logreg, lstm, bilstm or gru.") var model = "nbsvm"
    @Option(help: "Number of shuffled folds (ignored with --fold-column).") var folds = 10
    @Option(help: "A column of given fold numbers (e.g. the official folds).") var foldColumn:
      String?
    @Option(help: "Seed of the fold shuffle.") var foldSeed: UInt64 = 1
    @Option(
      help: ArgumentHelp(
        "Several fold seeds, comma-separated (e.g. 0,1,2,3,4): one CV per seed; the JSON's "
          + "accuracy is their mean.", valueName: "seeds"))
    var foldSeeds: String?
    @Option(help: "Run only the first N folds (a cheap screen on the full run's folds).")
    var onlyFirst: Int?
    @OptionGroup var settings: TrainingSettings
    @Flag(help: "Print the results as one JSON object on the last line.") var json = false

    func run() throws {
      let kind = try parseKind(model)
      let data = try columns.read(foldColumn: foldColumn)
      var options = try settings.options
      if options.verbose == 1 { options.verbose = 0 }
      let seeds = try foldSeedList()
      var results: [SentimentCrossValidation] = []
      for seed in seeds {
        let result = try SentimentClassifier.crossValidate(
          data, kind: kind, folds: folds, seed: seed, options: options, onlyFirst: onlyFirst
        ) { fold, report, seconds in
          let line =
            (seeds.count > 1 ? "fold seed \(seed) " : "")
            + "fold \(fold): accuracy \(String(format: "%.4f", report.accuracy)), "
            + "macro F1 \(String(format: "%.4f", report.macroF1)), "
            + "training \(String(format: "%.1f", seconds)) s"
          if json {
            FileHandle.standardError.write(Data((line + "\n").utf8))
          } else {
            print(line)
          }
        }
        if seeds.count > 1 {
          let line =
            "fold seed \(seed): accuracy " + String(format: "%.4f", result.accuracy)
          if json {
            FileHandle.standardError.write(Data((line + "\n").utf8))
          } else {
            print(line)
          }
        }
        results.append(result)
      }
      let accuracy = results.map(\.accuracy).reduce(0, +) / Double(results.count)
      let macroF1 = results.map(\.macroF1).reduce(0, +) / Double(results.count)
      if json {
        var object: [String: Any] = [
          "model": kind.rawValue, "documents": data.count, "accuracy": accuracy,
          "macro_f1": macroF1, "fold_accuracies": results.flatMap(\.foldAccuracies),
          "fold_train_seconds": results.flatMap(\.foldTrainingSeconds),
        ]
        if seeds.count > 1 {
          object["fold_seeds"] = seeds.map { Int($0) }
          object["seed_accuracies"] = results.map(\.accuracy)
        }
        try printJSONLine(object)
      } else {
        print(
          "\(kind.rawValue): \(results[0].foldAccuracies.count)-fold accuracy "
            + String(format: "%.4f", accuracy) + ", macro F1 " + String(format: "%.4f", macroF1)
            + (seeds.count > 1 ? " (mean over fold seeds \(seeds))" : ""))
      }
    }

    /// `--fold-seeds` parsed, else `[--fold-seed]`.
    func foldSeedList() throws -> [UInt64] {
      guard let foldSeeds else { return [foldSeed] }
      let seeds = foldSeeds.split(separator: ",").map {
        UInt64($0.trimmingCharacters(in: .whitespaces))
      }
      guard !seeds.isEmpty, seeds.allSatisfy({ $0 != nil }) else {
        throw ValidationError(
          "--fold-seeds takes comma-separated non-negative integers, received '\(foldSeeds)'")
      }
      return seeds.map { $0! }
    }
  }

  struct Vectors: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Train word vectors for a sentiment model on an unlabeled corpus tokenized as the "
        + "classifier tokenizes (lower-cased, punctuation filtered); with fastText, add subword "
        + "vectors for the words of --words the corpus lacks. Use the file with --vectors.")
    @Option(
      help: ArgumentHelp(
        "UTF-8 text, one sentence or paragraph per line (.gz accepted), or the Brown TSV "
          + "(fileid, category, sentence of word/tag tokens; tags removed). Repeat for several "
          + "corpora, read in the order given.", valueName: "corpus"))
    var corpus: [String]
    @Option(help: "fasttext, skipgram or cbow.") var model = "fasttext"
    @Option(help: "A TSV/CSV data file whose text column's words get subword vectors (fastText).")
    var words: String?
    @Option(help: "Name of the text column of --words.") var textColumn = "text"
    @Option(help: "Name of the label column of --words (read, not used).") var labelColumn =
      "label"
    @OptionGroup var training: EmbeddingTrainingOptions
    @Option(help: "Output .vec file (word2vec text).") var output: String
    @Flag(help: "Print a JSON summary as the last line.") var json = false

    func run() throws {
      let start = Date()
      let text = try SentimentWordVectors.readCorpus(paths: corpus)
      let vocabularyTexts = try words.map {
        try LabeledTexts(contentsOf: $0, textColumn: textColumn, labelColumn: labelColumn).texts
      }
      let vectors: WordVectors
      switch model {
      case "fasttext":
        vectors = try SentimentWordVectors.fastText(
          corpus: text, vocabularyTexts: vocabularyTexts ?? [], configuration: training.fastText())
      case "skipgram", "cbow":
        vectors = try SentimentWordVectors.word2vec(
          corpus: text, configuration: training.word2vec(model == "skipgram" ? .skipGram : .cbow))
      default:
        throw ValidationError("--model must be fasttext, skipgram or cbow, received '\(model)'")
      }
      try vectors.save(path: output, format: .word2vecText)
      let seconds = Date().timeIntervalSince(start)
      let summary =
        "\(model) on \(text.tokenCount) tokens: \(vectors.count) vectors of \(training.dim) "
        + String(format: "in %.1f s", seconds) + "; saved to \(output)"
      if json {
        FileHandle.standardError.write(Data((summary + "\n").utf8))
        try printJSONLine([
          "model": model, "tokens": text.tokenCount, "vectors": vectors.count, "dim": training.dim,
          "seconds": seconds, "output": output,
        ])
      } else {
        print(summary)
      }
    }
  }
}

extension SentimentCommand {
  struct Pretrain: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Pretrain a BiLSTM encoder as two LSTM language models (next word, previous word) over "
        + "frozen word vectors on an unlabeled corpus; use the file with --pretrained-encoder "
        + "and the same --vectors.")
    @Option(
      help: ArgumentHelp(
        "UTF-8 text, one sentence or paragraph per line (.gz accepted), or the Brown TSV. "
          + "Repeat for several corpora, read in the order given.", valueName: "corpus"))
    var corpus: [String]
    @Option(help: "The word vectors (.vec) the classifier will start from.") var vectors: String
    @Option(help: "Units per direction (the classifier's --hidden).") var hidden =
      EncoderPretrainingOptions().units
    @Option(help: "Words the language models predict (the rest share one class).")
    var outputVocabulary = EncoderPretrainingOptions().outputVocabulary
    @Option(help: "Tokens per training sequence.") var sequenceLength = EncoderPretrainingOptions()
      .sequenceLength
    @Option(help: "Sequences per batch.") var batchSize = EncoderPretrainingOptions().batchSize
    @Option(help: "Passes over the corpus per direction.") var epochs = EncoderPretrainingOptions()
      .epochs
    @Option(help: "Adam learning rate.") var learningRate = EncoderPretrainingOptions()
      .learningRate
    @Option(help: "Seed for initialization and the order of sequences.") var seed =
      EncoderPretrainingOptions().seed
    @Option(help: "Output file (safetensors).") var output: String
    @Flag(help: "Print a JSON summary as the last line.") var json = false

    func run() throws {
      let start = Date()
      var options = EncoderPretrainingOptions()
      options.units = hidden
      options.outputVocabulary = outputVocabulary
      options.sequenceLength = sequenceLength
      options.batchSize = batchSize
      options.epochs = epochs
      options.learningRate = learningRate
      options.seed = seed
      try options.validate()
      let text = try SentimentWordVectors.readCorpus(paths: corpus)
      let table = try WordVectors.load(path: vectors)
      let encoder = try LanguageModelEncoder.pretrain(
        corpus: text, vectors: table, options: options
      ) { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
      }
      try encoder.save(path: output)
      let seconds = Date().timeIntervalSince(start)
      let perplexity = encoder.trainingPerplexity.map { String(format: "%.1f", $0) }
      let summary =
        "LSTM language models (\(hidden) units) on \(text.tokenCount) tokens: training "
        + "perplexity forward \(perplexity[0]), backward \(perplexity[1]) "
        + String(format: "in %.1f s", seconds) + "; saved to \(output)"
      if json {
        FileHandle.standardError.write(Data((summary + "\n").utf8))
        try printJSONLine([
          "tokens": text.tokenCount, "units": hidden, "epochs": epochs,
          "perplexity_forward": encoder.trainingPerplexity[0],
          "perplexity_backward": encoder.trainingPerplexity[1], "seconds": seconds,
          "output": output,
        ])
      } else {
        print(summary)
      }
    }
  }
}
