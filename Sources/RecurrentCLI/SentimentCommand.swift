// `recurrent sentiment`: train, evaluate, predict with and cross-validate sentiment classifiers.
import ArgumentParser
import Foundation
import RecurrentTasks

/// `recurrent sentiment train|evaluate|predict|cv`.
struct SentimentCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sentiment",
    abstract:
      "Sentiment classifiers: Naive Bayes, NB-SVM, SVM, logistic regression, (Bi)LSTM, GRU.",
    subcommands: [Train.self, Evaluate.self, Predict.self, CrossValidate.self])
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
  @Option(help: "Pretrained word vectors (word2vec text/binary or fastText .vec).")
  var vectors: String?
  @Option(help: "0 silent, 1 progress bar, 2 one line per epoch.") var verbose = SentimentOptions()
    .verbose

  var options: SentimentOptions {
    var o = SentimentOptions()
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
    o.pretrainedVectors = vectors
    o.verbose = verbose
    return o
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
      var options = settings.options
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
    @OptionGroup var settings: TrainingSettings
    @Flag(help: "Print the results as one JSON object on the last line.") var json = false

    func run() throws {
      let kind = try parseKind(model)
      let data = try columns.read(foldColumn: foldColumn)
      var options = settings.options
      if options.verbose == 1 { options.verbose = 0 }
      let result = try SentimentClassifier.crossValidate(
        data, kind: kind, folds: folds, seed: foldSeed, options: options
      ) { fold, report, seconds in
        let line =
          "fold \(fold): accuracy \(String(format: "%.4f", report.accuracy)), "
          + "macro F1 \(String(format: "%.4f", report.macroF1)), "
          + "training \(String(format: "%.1f", seconds)) s"
        if json {
          FileHandle.standardError.write(Data((line + "\n").utf8))
        } else {
          print(line)
        }
      }
      if json {
        try printJSONLine([
          "model": kind.rawValue, "documents": data.count, "accuracy": result.accuracy,
          "macro_f1": result.macroF1, "fold_accuracies": result.foldAccuracies,
          "fold_train_seconds": result.foldTrainingSeconds,
        ])
      } else {
        print(
          "\(kind.rawValue): \(result.foldAccuracies.count)-fold accuracy "
            + String(format: "%.4f", result.accuracy) + ", macro F1 "
            + String(format: "%.4f", result.macroF1))
      }
    }
  }
}
