// `recurrent demo`: the README's main command — sentiment analysis on the rt-polarity data
// shipped in Data/rt-polarity, a BiLSTM trained with a progress bar beside an NB-SVM baseline.
import ArgumentParser
import Foundation
import RecurrentTasks

/// `recurrent demo`.
struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract:
      "Train a BiLSTM sentiment classifier on the shipped rt-polarity data (with an NB-SVM "
      + "baseline), then print test accuracy and a few predictions.")

  @Option(help: "Folder holding train.tsv, dev.tsv and test.tsv.") var dataDir = "Data/rt-polarity"
  @Option(help: "Maximum BiLSTM epochs (early stopping on dev.tsv may end sooner).") var epochs = 4
  @Option(help: "Seed.") var seed: UInt64 = 1
  @Flag(help: "Print the results as one JSON object on the last line.") var json = false

  static let examples = [
    "a gorgeous , witty , seductive movie .",
    "the plot is nothing but boilerplate clichés from start to finish .",
    "an uneven but often hilarious comedy with a big heart .",
    "i wanted to like it , but it is dull and far too long .",
  ]

  func run() throws {
    func load(_ name: String) throws -> LabeledTexts {
      let path = (dataDir as NSString).appendingPathComponent(name)
      guard FileManager.default.fileExists(atPath: path) else {
        throw ValidationError(
          "\(path) not found: run the demo from the repository's root folder, or pass "
            + "--data-dir pointing at a folder with train.tsv, dev.tsv and test.tsv")
      }
      return try LabeledTexts(contentsOf: path)
    }
    let train = try load("train.tsv")
    let dev = try load("dev.tsv")
    let test = try load("test.tsv")
    print("rt-polarity: \(train.count) train, \(dev.count) dev, \(test.count) test sentences")

    var start = Date()
    let baseline = try SentimentClassifier(training: train, kind: .nbsvm)
    let baselineSeconds = Date().timeIntervalSince(start)
    let baselineReport = try baseline.evaluate(test)
    print(
      "NB-SVM (word uni+bigrams): test accuracy "
        + String(format: "%.2f%%", 100 * baselineReport.accuracy)
        + String(format: " (trained in %.1f s)", baselineSeconds))

    var options = SentimentOptions()
    options.seed = seed
    options.epochs = epochs
    options.verbose = 1
    print(
      "BiLSTM: Embedding(\(options.vocabularySize), \(options.embeddingDim), maskZero) → "
        + "Bidirectional(LSTM(\(options.hiddenUnits))) → Dropout(\(options.dropout)) → "
        + "Dense(1, sigmoid); early stopping on dev.tsv"
        + (options.ensemble > 1
          ? "; \(options.ensemble) networks (seeds \(seed)…) with averaged probabilities" : ""))
    start = Date()
    let model = try SentimentClassifier(
      training: train, kind: .bilstm, options: options, validation: dev)
    let seconds = Date().timeIntervalSince(start)
    let report = try model.evaluate(test)
    print(
      "BiLSTM: test accuracy " + String(format: "%.2f%%", 100 * report.accuracy)
        + String(format: ", macro F1 %.4f (trained in %.1f s)", report.macroF1, seconds))
    print(report.table)
    print("Predictions (label 1 = positive):")
    let predictions = try model.predict(Self.examples)
    for (text, p) in zip(Self.examples, predictions) {
      print("  \(p.label)  p=\(String(format: "%.3f", p.probability ?? 0))  \(text)")
    }
    if json {
      try printJSONLine([
        "accuracy": report.accuracy, "macro_f1": report.macroF1, "train_seconds": seconds,
        "baseline_nbsvm_accuracy": baselineReport.accuracy,
        "predictions": zip(Self.examples, predictions).map { ["text": $0, "label": $1.label] },
      ])
    }
  }
}
