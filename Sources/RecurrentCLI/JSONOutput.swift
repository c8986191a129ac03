import Foundation

/// Prints one JSON object on one line, keys sorted: the last line of every `--json` run.
func printJSONLine(_ object: [String: Any]) throws {
  let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
  print(String(decoding: data, as: UTF8.self))
}
