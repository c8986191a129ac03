// Test support: finite-difference gradient checking and fixture loading, shared by test targets.
import RecurrentTensor
