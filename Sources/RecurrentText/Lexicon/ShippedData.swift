import Foundation

/// Paths of the data files shipped in the module bundle (see `Resources/README.md`).
enum ShippedData {
  static func path(_ relative: String) throws -> String {
    guard let url = Bundle.module.url(forResource: "Resources/" + relative, withExtension: nil)
    else {
      throw TextInputError(
        .cannotOpen, file: "Resources/" + relative,
        reason: "shipped data file missing from the RecurrentText bundle",
        fix: "rebuild the package; the file lives in Sources/RecurrentText/Resources")
    }
    return url.path
  }
}
