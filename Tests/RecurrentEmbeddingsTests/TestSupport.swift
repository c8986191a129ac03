import Foundation
import XCTest

/// Path of a committed fixture.
func fixturePath(_ name: String) throws -> String {
  guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil) else {
    throw XCTSkip("fixture \(name) missing from the test bundle")
  }
  return url.path
}

/// Parsed JSON fixture.
func fixtureJSON(_ name: String) throws -> [String: Any] {
  let data = try Data(contentsOf: URL(fileURLWithPath: try fixturePath(name)))
  return try JSONSerialization.jsonObject(with: data) as! [String: Any]
}

/// A file under ../shared/data, or a skip with the reason.
func sharedData(_ relative: String) throws -> String {
  let here = URL(fileURLWithPath: #filePath)
  let path = here.deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("shared/data/\(relative)").path
  guard FileManager.default.fileExists(atPath: path) else {
    throw XCTSkip("shared data \(relative) not found at \(path)")
  }
  return path
}

/// A fresh temporary directory.
func temporaryDirectory(_ name: String) throws -> String {
  let dir = NSTemporaryDirectory() + "/\(name)-\(UUID().uuidString)"
  try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  return dir
}
