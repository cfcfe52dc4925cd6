"""The teaching lab: the tutorials' experiments as small, observable, stoppable runs.

One module per experiment, NumPy only:

- :mod:`.numerical_vs_backprop`: the same net trained with numerical and with backprop
  gradients on the same batches; time per iteration, the slowdown factor, a gradient check.
- :mod:`.function_fitting`: fitting ``x^2 + y^2``, ``x^2 - y^2``, ``cos(1.2x) cos(1.2y)`` with
  one sigmoid hidden layer; a decision boundary for two classes of drawn points.
- :mod:`.losses_demo`: the worked MSE and cross-entropy values; the two losses racing.
- :mod:`.activations_init`: sigmoid vs ReLU, std 0.01 vs He: activation histograms and
  gradient norms per layer, so vanishing gradients can be seen.

Each experiment is ``run(..., on_event, should_stop) -> result`` like the trainer: it reports
frozen records with copied arrays, stops between steps when asked and is reproducible from its
seed. Those that train on digits take an ``MnistData`` and raise ``DataError`` without one.
"""
