import Foundation
import RecurrentTasks
import XCTest

/// The repository's shipped demo data (Data/rt-polarity), found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

func shippedRTPolarity(_ split: String) throws -> LabeledTexts {
  try LabeledTexts(
    contentsOf: repositoryRoot.appendingPathComponent("Data/rt-polarity/\(split).tsv").path)
}

/// A fresh temporary directory, removed when the test ends.
func temporaryDirectory(_ test: XCTestCase) throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "recurrent-tasks-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
  return url
}

/// Writes `text` to `name` in `directory` and returns its path.
func write(_ text: String, _ name: String, in directory: URL) throws -> String {
  let url = directory.appendingPathComponent(name)
  try text.write(to: url, atomically: true, encoding: .utf8)
  return url.path
}

/// Options for a recurrent model small enough to train in a test: batches of 16, silent.
func smallRecurrentOptions(
  epochs: Int, maxLength: Int, vocabularySize: Int, embeddingDim: Int, hiddenUnits: Int
) -> SentimentOptions {
  var options = SentimentOptions()
  options.epochs = epochs
  options.batchSize = 16
  options.maxLength = maxLength
  options.vocabularySize = vocabularySize
  options.embeddingDim = embeddingDim
  options.hiddenUnits = hiddenUnits
  options.verbose = 0
  return options
}
