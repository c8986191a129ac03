// swift-tools-version:6.0
// Recurrent — deep learning on sequences (text and time series) on a plain CPU.
//
// The dependency direction is the architecture (see ../shared/STYLE.md, "The house"):
//   RecurrentText        imports nothing of ours (tokenize without tensors)
//   CRecurrentKernels    C kernels: GEMM micro-kernels, vector math, CPU dispatch, OpenBLAS loader
//   RecurrentTensor      tensors, randomness, reverse-mode autodiff over coarse ops
//   RecurrentLayers      layers, losses, optimizers, models, training (no text, no tasks)
//   RecurrentEmbeddings  word2vec / fastText (uses Text)
//   RecurrentClassic     Naive Bayes, linear SVM, logistic regression (uses Text)
//   RecurrentTasks       applications put together from the parts; no kernels of their own
//   Recurrent            umbrella: re-exports all of the above
import PackageDescription

let package = Package(
  name: "Recurrent",
  products: [
    .library(name: "Recurrent", targets: ["Recurrent"]),
    .executable(name: "recurrent", targets: ["RecurrentCLI"]),
    .executable(name: "recurrent-bench", targets: ["RecurrentBench"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    .target(
      name: "CRecurrentKernels", linkerSettings: [.linkedLibrary("dl"), .linkedLibrary("pthread")]),
    .target(name: "RecurrentTensor", dependencies: ["CRecurrentKernels"]),
    .target(name: "RecurrentLayers", dependencies: ["RecurrentTensor"]),
    .target(name: "RecurrentText", resources: [.copy("Resources")]),
    .target(name: "RecurrentEmbeddings", dependencies: ["RecurrentText", "CRecurrentKernels"]),
    .target(name: "RecurrentClassic", dependencies: ["RecurrentText"]),
    .target(
      name: "RecurrentTasks",
      dependencies: ["RecurrentLayers", "RecurrentText", "RecurrentEmbeddings", "RecurrentClassic"]),
    .target(
      name: "Recurrent",
      dependencies: [
        "RecurrentTensor", "RecurrentLayers", "RecurrentText", "RecurrentEmbeddings",
        "RecurrentClassic", "RecurrentTasks",
      ]),
    .executableTarget(
      name: "RecurrentCLI",
      dependencies: [
        "Recurrent", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .executableTarget(
      name: "RecurrentBench",
      dependencies: [
        "Recurrent", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .executableTarget(
      name: "KerasLSTMExample", dependencies: ["Recurrent"], path: "Examples/KerasLSTM"),
    .target(name: "_RecurrentTestSupport", dependencies: ["RecurrentTensor"]),
    .testTarget(
      name: "RecurrentTensorTests", dependencies: ["RecurrentTensor", "_RecurrentTestSupport"],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "RecurrentLayersTests", dependencies: ["RecurrentLayers", "_RecurrentTestSupport"],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "RecurrentTextTests", dependencies: ["RecurrentText"], resources: [.copy("Fixtures")]),
    .testTarget(
      name: "RecurrentEmbeddingsTests", dependencies: ["RecurrentEmbeddings"],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "RecurrentClassicTests", dependencies: ["RecurrentClassic"],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "RecurrentTasksTests", dependencies: ["RecurrentTasks"], resources: [.copy("Fixtures")]),
  ]
)
