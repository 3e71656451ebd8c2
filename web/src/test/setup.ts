import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, vi } from "vitest";

// relay-test-utils' mock environment spies with the global `jest`; Vitest's `vi` speaks the same.
(globalThis as unknown as { jest: typeof vi }).jest = vi;
// React's act() warnings: tests run inside act environments.
(globalThis as unknown as { IS_REACT_ACT_ENVIRONMENT: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

afterEach(() => {
  cleanup();
  localStorage.clear();
});
