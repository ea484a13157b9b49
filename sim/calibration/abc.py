"""Approximate Bayesian computation by sequential Monte Carlo, the population on the replicate axis.

ABC-SMC after Toni et al. (2009, *J. R. Soc. Interface* 6: 187) with the importance weights and
the perturbation kernel of Beaumont et al. (2009, *Biometrika* 96: 983):

    generation 0   theta_i ~ prior,  i = 1..n;  d_i = rho(simulate(theta_i), data)
                   eps_1 = the q-quantile of the d_i
    generation t   draw theta* from the previous particles by their weights, perturb it by
                   K_t = N(0, 2 Sigma_{t-1}) (Sigma: the weighted covariance of the previous
                   particles), keep it if the prior's density there is positive; simulate
                   whole batches at once and accept d <= eps_t until n particles are accepted;
                   w_i  propto  pi(theta_i) / sum_j w_j^{t-1} K_t(theta_i - theta_j^{t-1});
                   all of it in z, where each prior is uniform (the logarithm of a
                   log-uniform parameter), so pi is constant inside the box;
                   eps_{t+1} = the q-quantile of the accepted distances

``simulate`` evaluates a whole batch of parameter vectors in one call, which for flashpoint is one
run of the vectorised engine with the batch on the replicate axis (``vary=``): a generation costs a
few model runs, not thousands. Every draw comes from one ``numpy.random.Generator`` made from the
seed, and ``simulate`` gets the batch's number to seed its own runs, so a fit reproduces exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .priors import Prior

MAX_BATCH = 1024
"""The most proposals one ``simulate`` call gets (a model run's memory grows with it)."""


@dataclass
class Posterior:
    """The last generation of an ABC-SMC run.

    Attributes:
        names: the parameters' paths, in column order.
        particles: (n, k) accepted parameter vectors.
        weights: (n,) normalised importance weights.
        distances: (n,) their distances to the data.
        epsilons: the tolerance of each generation after the first.
        acceptance: the share of proposals accepted in each generation.
        simulations: how many parameter vectors were simulated in all.
        origins: (n, 2) where each particle was simulated: the ``simulate`` call's number and
            its row in that call (what else the simulation drew is a function of both).
    """

    names: list[str]
    particles: np.ndarray
    weights: np.ndarray
    distances: np.ndarray
    epsilons: list[float] = field(default_factory=list)
    acceptance: list[float] = field(default_factory=list)
    simulations: int = 0
    origins: np.ndarray | None = None

    def mean(self) -> np.ndarray:
        """The posterior mean of each parameter."""
        return self.weights @ self.particles

    def sd(self) -> np.ndarray:
        """The posterior standard deviation of each parameter."""
        centred = self.particles - self.mean()
        return np.sqrt(self.weights @ centred ** 2)

    def effective_size(self) -> float:
        """Kish's effective sample size of the weights, 1 / sum w^2."""
        return float(1.0 / np.sum(self.weights ** 2))

    def resample(self, size: int, rng: np.random.Generator) -> np.ndarray:
        """``size`` equally weighted members by systematic resampling, (size, k)."""
        return self.particles[self.resample_index(size, rng)]

    def resample_index(self, size: int, rng: np.random.Generator) -> np.ndarray:
        """The particles' rows that systematic resampling to ``size`` members picks, (size,)."""
        positions = (rng.random() + np.arange(size)) / size
        index = np.searchsorted(np.cumsum(self.weights), positions)
        return np.minimum(index, len(self.particles) - 1)


def _scale(priors: Sequence[Prior]) -> tuple[Callable, Callable]:
    """The maps to and from z, where every prior is uniform: log for a log-uniform one."""
    log = np.array([p.distribution == "loguniform" for p in priors])

    def to_z(theta: np.ndarray) -> np.ndarray:
        return np.where(log, np.log(np.where(log, np.maximum(theta, 1e-300), 1.0)), theta)

    def from_z(z: np.ndarray) -> np.ndarray:
        return np.where(log, np.exp(np.where(log, z, 0.0)), z)

    return to_z, from_z


def _propose(rng: np.random.Generator, z: np.ndarray, weights: np.ndarray, chol: np.ndarray,
             size: int, priors: Sequence[Prior], from_z: Callable) -> np.ndarray:
    """``size`` perturbed particles inside the prior's support (drawn until there are enough)."""
    n, k = z.shape
    out: list[np.ndarray] = []
    count = 0
    for _ in range(10_000):
        parents = z[rng.choice(n, size=size, p=weights)]
        theta = from_z(parents + rng.standard_normal((size, k)) @ chol.T)
        theta = theta[_prior_density(priors, theta) > 0.0]
        out.append(theta)
        count += len(theta)
        if count >= size:
            break
    return np.concatenate(out)[:size]


def _prior_density(priors: Sequence[Prior], theta: np.ndarray) -> np.ndarray:
    """The joint prior density (independent priors) of each row of ``theta``."""
    density = np.ones(len(theta))
    for j, prior in enumerate(priors):
        density *= prior.density(theta[:, j])
    return density


def abc_smc(simulate: Callable[[np.ndarray, int], np.ndarray], priors: Sequence[Prior],
            particles: int, generations: int, seed: int, quantile: float = 0.5,
            batch: int | None = None, max_simulations: int = 10_000_000) -> Posterior:
    """Fit ``priors`` to data by ABC-SMC (module docstring).

    Args:
        simulate: ``simulate(theta, batch_number)`` -> the distance of each row of ``theta``
            (m, k) to the data, (m,): one vectorised call a batch.
        priors: each parameter's prior (independent), in column order.
        particles: n, the population size.
        generations: generations after the first (each lowers the tolerance).
        seed: the root seed of every draw.
        quantile: q, the share of the previous distances the next tolerance keeps.
        batch: the fewest proposals simulated a call (default: ``particles``); a generation
            proposes as many as its acceptance so far says it needs, up to :data:`MAX_BATCH`.
        max_simulations: stop a generation that has not filled its population by then.

    Raises:
        RuntimeError: a generation accepted too few particles within ``max_simulations``.
    """
    rng = np.random.default_rng(seed)
    k, n, batch = len(priors), int(particles), int(batch or particles)
    to_z, from_z = _scale(priors)
    calls = 0
    theta = np.column_stack([p.sample(rng.random(n)) for p in priors])
    distance = np.asarray(simulate(theta, calls), dtype=float)
    origins = np.column_stack([np.full(n, calls), np.arange(n)])
    calls += 1
    simulations = n
    weights = np.full(n, 1.0 / n)
    post = Posterior([p.path for p in priors], theta, weights, distance, simulations=n,
                     origins=origins)
    for _ in range(generations):
        epsilon = float(np.quantile(post.distances, quantile))
        z_prev = to_z(post.particles)
        mean = post.weights @ z_prev
        centred = z_prev - mean
        cov = 2.0 * (centred.T * post.weights) @ centred
        cov += np.eye(k) * 1e-12 * max(float(np.abs(cov).max()), 1.0)
        chol = np.linalg.cholesky(cov)
        accepted: list[np.ndarray] = []
        accepted_d: list[np.ndarray] = []
        accepted_o: list[np.ndarray] = []
        tried = 0
        while (have := sum(len(a) for a in accepted)) < n:
            if tried >= max_simulations:
                raise RuntimeError(f"ABC-SMC: fewer than {n} particles within eps {epsilon:g} "
                                   f"after {tried:,} simulations")
            # enough proposals inside the prior to fill the population at the acceptance seen
            # so far (one model run), within [batch, MAX_BATCH]
            rate = have / tried if tried else post.acceptance[-1] if post.acceptance else 1.0
            size = int(np.clip(np.ceil(1.25 * (n - have) / max(rate, 1e-3)), batch,
                               max(batch, MAX_BATCH)))
            proposal = _propose(rng, z_prev, post.weights, chol, size, priors, from_z)
            if not len(proposal):
                raise RuntimeError("ABC-SMC: no perturbed particle inside the prior's support")
            d = np.asarray(simulate(proposal, calls), dtype=float)
            keep = d <= epsilon
            accepted_o.append(np.column_stack([np.full(int(keep.sum()), calls),
                                               np.flatnonzero(keep)]))
            calls += 1
            tried += len(proposal)
            accepted.append(proposal[keep])
            accepted_d.append(d[keep])
        simulations += tried
        theta = np.concatenate(accepted)[:n]
        distance = np.concatenate(accepted_d)[:n]
        origins = np.concatenate(accepted_o)[:n]
        inverse = np.linalg.inv(cov)
        diff = to_z(theta)[:, None, :] - z_prev[None, :, :]
        kernel = np.exp(-0.5 * np.einsum("ijk,kl,ijl->ij", diff, inverse, diff))
        # the prior is uniform in z inside its box: the weight is 1 / the kernel mixture
        weights = 1.0 / (kernel @ post.weights)
        weights /= weights.sum()
        post = Posterior(post.names, theta, weights, distance,
                         epsilons=[*post.epsilons, epsilon],
                         acceptance=[*post.acceptance, n / tried], simulations=simulations,
                         origins=origins)
    return post
