// Setup file of every test file: its temporary folders go when it is done.
import { afterAll } from "vitest";
import { removeTempDirs } from "./cli.js";

afterAll(removeTempDirs);
