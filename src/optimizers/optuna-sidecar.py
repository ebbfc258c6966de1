# The Optuna sidecar: one study driven by ask-and-tell over JSON lines on stdin/stdout (one reply per request).
# Started by bilevel (src/optimizers/optuna-sidecar.ts); it keeps nothing on disk: bilevel's database is the record,
# and a resumed run rebuilds the study by telling it the recorded trials again. `--probe` prints what can run here.
import json
import sys
import warnings

warnings.simplefilter("ignore")
# Only replies go to stdout; anything a library prints goes to stderr.
replies = sys.stdout
sys.stdout = sys.stderr


def probe():
    info = {"ok": True, "python": sys.version.split()[0], "executable": sys.executable}
    try:
        import optuna
    except Exception as error:  # an unusable install is data for the caller, not a crash
        info.update(ok=False, error="%s: %s" % (type(error).__name__, error))
        return info
    info["optuna"] = optuna.__version__
    samplers = {"tpe": None, "random": None}
    try:
        import cmaes  # noqa: F401

        samplers["cmaes"] = None
    except Exception as error:
        samplers["cmaes"] = "CmaEsSampler needs the cmaes package (%s)" % error
    try:
        import scipy.stats.qmc  # noqa: F401

        samplers["qmc"] = None if hasattr(optuna.samplers, "QMCSampler") else "this Optuna has no QMCSampler"
    except Exception as error:
        samplers["qmc"] = "QMCSampler needs SciPy (%s)" % error
    if not hasattr(optuna.samplers, "GPSampler"):
        samplers["gp"] = "Optuna %s has no GPSampler (added in Optuna 3.6)" % optuna.__version__
    else:
        try:
            import scipy  # noqa: F401
            import torch  # noqa: F401

            samplers["gp"] = None
        except Exception as error:
            samplers["gp"] = "GPSampler needs torch and SciPy (%s)" % error
    info["samplers"] = samplers
    return info


class Study:
    def __init__(self, request):
        import optuna

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        self.optuna = optuna
        self.space = {name: self.distribution(spec) for name, spec in request["space"].items()}
        self.base = self.sampler(request["sampler"], int(request["seed"]))
        self.study = optuna.create_study(direction=request["direction"], sampler=self.base)
        self.open = {}

    def distribution(self, spec):
        distributions = self.optuna.distributions
        if spec["type"] == "float":
            return distributions.FloatDistribution(spec["low"], spec["high"], log=spec["log"])
        if spec["type"] == "int":
            return distributions.IntDistribution(spec["low"], spec["high"], log=spec["log"])
        return distributions.CategoricalDistribution(spec["choices"])

    def sampler(self, name, seed):
        samplers = self.optuna.samplers
        if name == "tpe":
            return samplers.TPESampler(seed=seed)
        if name == "cmaes":
            return samplers.CmaEsSampler(seed=seed, warn_independent_sampling=False)
        if name == "random":
            return samplers.RandomSampler(seed=seed)
        if name == "qmc":
            return samplers.QMCSampler(seed=seed, scramble=True, warn_independent_sampling=False)
        if name == "gp":
            return samplers.GPSampler(seed=seed)
        raise ValueError("unknown sampler %r" % name)

    def ask(self, request):
        fixed = request.get("fixed") or {}
        # Params held fixed this trial (frozen, avoided, outside the focus) keep the parent's value.
        self.study.sampler = self.optuna.samplers.PartialFixedSampler(fixed, self.base) if fixed else self.base
        trial = self.study.ask()
        params = {}
        for name, distribution in self.space.items():
            value = suggest(trial, name, distribution)
            if name not in fixed:
                params[name] = value
        self.study.sampler = self.base
        self.open[trial.number] = trial
        return {"number": trial.number, "params": params}

    def tell(self, request):
        trial = self.open.pop(request["number"])
        if request["state"] == "complete":
            self.study.tell(trial, request["value"])
        else:
            self.study.tell(trial, state=self.optuna.trial.TrialState.FAIL)
        return {}

    def add(self, request):
        # A trial another proposer made: its params (those that fit the space) and its outcome.
        params, distributions = {}, {}
        for name, value in request["params"].items():
            distribution = self.space.get(name)
            if distribution is not None and fits(distribution, value):
                params[name] = value
                distributions[name] = distribution
        complete = request["state"] == "complete"
        state = self.optuna.trial.TrialState.COMPLETE if complete else self.optuna.trial.TrialState.FAIL
        frozen = self.optuna.trial.create_trial(
            params=params, distributions=distributions, value=request["value"] if complete else None, state=state
        )
        self.study.add_trial(frozen)
        return {}


def suggest(trial, name, distribution):
    from optuna.distributions import CategoricalDistribution, IntDistribution

    if isinstance(distribution, CategoricalDistribution):
        return trial.suggest_categorical(name, distribution.choices)
    if isinstance(distribution, IntDistribution):
        return trial.suggest_int(name, distribution.low, distribution.high, log=distribution.log)
    return trial.suggest_float(name, distribution.low, distribution.high, log=distribution.log)


def fits(distribution, value):
    if hasattr(distribution, "choices"):
        return any(choice == value and isinstance(choice, bool) == isinstance(value, bool) for choice in distribution.choices)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return distribution.low <= value <= distribution.high


def main():
    if "--probe" in sys.argv:
        replies.write(json.dumps(probe()) + "\n")
        return
    study = None
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            op = request["op"]
            if op == "probe":
                reply = probe()
            elif op == "create":
                study = Study(request)
                reply = {}
            elif op == "close":
                break
            elif study is None:
                raise ValueError("create the study first")
            elif op in ("ask", "tell", "add"):
                reply = getattr(study, op)(request)
            else:
                raise ValueError("unknown op %r" % op)
            reply.setdefault("ok", True)
        except Exception as error:  # reported to bilevel, which fails the run with the message
            reply = {"ok": False, "error": "%s: %s" % (type(error).__name__, error)}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


if __name__ == "__main__":
    main()
