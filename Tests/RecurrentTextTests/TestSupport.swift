import Foundation
import XCTest

@testable import RecurrentText

/// Fixture files (made by Tools/make_text_fixtures.py) and the shared real data.
enum Fixtures {
  static func url(_ name: String) -> URL {
    Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil)!
  }

  static func path(_ name: String) -> String { url(name).path }

  static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: url(name))) }

  static func json(_ name: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(contentsOf: url(name)))
  }

  /// ../shared/data beside the repository, found from this source file's location.
  static func sharedData(_ relative: String) throws -> String {
    var dir = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { dir.deleteLastPathComponent() }
    let path = dir.deletingLastPathComponent().appendingPathComponent("shared/data/" + relative)
      .path
    guard FileManager.default.fileExists(atPath: path) else {
      throw XCTSkip("shared data not found at \(path); it lives in ../shared/data")
    }
    return path
  }
}

/// FNV-1a 64-bit, a fixed hash for comparing byte streams.
struct FNV1a {
  var value: UInt64 = 0xcbf2_9ce4_8422_2325
  mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
    var h = value
    for b in bytes {
      h ^= UInt64(b)
      h = h &* 0x100_0000_01b3
    }
    value = h
  }
  mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { update($0) } }
}

/// Runs a command and returns its standard output (nil if the tool is missing).
func runTool(_ executable: String, _ arguments: [String]) throws -> Data? {
  guard FileManager.default.isExecutableFile(atPath: executable) else { return nil }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  let pipe = Pipe()
  process.standardOutput = pipe
  try process.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return data
}
