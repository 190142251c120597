"""Reading input: the text parser, the LaTeX reader, a learner's working, the limits."""
