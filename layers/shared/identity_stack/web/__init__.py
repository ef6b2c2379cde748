"""The HTTP side of a function: handler factory, problem handlers, dependencies, guards and middlewares."""
